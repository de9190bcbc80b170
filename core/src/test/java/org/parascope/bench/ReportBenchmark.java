package org.parascope.bench;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.parascope.Parascope;
import org.parascope.config.Config;
import org.parascope.report.Chromium;
import org.parascope.trace.TraceRecord;
import org.parascope.trace.TraceRecord.Outcome;

/**
 * How long 'parascope report' takes to make a report of a run of 1,000, 100,000 and 1,000,000 tries, how
 * big the page is, and how long Debian's chromium takes to open it: headless, a copy of the page with one
 * script added that, at the load event, forces a layout and notes performance.now() (milliseconds from
 * the start of navigation to the page parsed, styled and laid out; the browser's own start is not in it). The traces are made here, seeded: a start and an end
 * record per try, durations log-normal around a minute, 3 % of tasks failing (four reasons, three tries
 * each), a few tries cut short; workers in proportion to the tries (8 to 1,000, four per machine).
 * Prints a Markdown table for docs/benchmarks.md, which gives the command.
 *
 * <p>Options (--name=value): sizes (1000,100000,1000000), browser-runs (3).
 */
public final class ReportBenchmark {

	private static final String[] REASONS = { "macro error: Unrecognized command: \"Analyze Particles\"",
		"timed out after 600 s", "CellProfiler exited with code 1: MemoryError", "cannot fetch images/P1/A01.tif: 503 SlowDown" };

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new HashMap<>();
		for (String arg : args) options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
		int browserRuns = Integer.parseInt(options.getOrDefault("browser-runs", "3"));
		Path dir = Files.createTempDirectory("report-bench");
		Chromium chromium = Chromium.installed();
		System.out.println("| tries | trace (MB) | report made in (s) | HTML (KB) | chromium opens it in (ms) |");
		System.out.println("|---:|---:|---:|---:|---:|");
		for (String size : options.getOrDefault("sizes", "1000,100000,1000000").split(",")) {
			int tries = Integer.parseInt(size.strip());
			Path run = Files.createDirectories(dir.resolve("run-" + tries));
			Path trace = run.resolve("trace.jsonl");
			write(trace, tries);
			System.gc();
			long start = System.nanoTime();
			Path page = new Parascope(Config.defaults()).writeLocalReport(run, "benchmark", 0);
			double seconds = (System.nanoTime() - start) / 1e9;
			long open = median(browserRuns, () -> loadMillis(chromium, page));
			System.out.printf(Locale.ROOT, "| %,d | %.0f | %.1f | %.0f | %d |%n", tries, Files.size(trace) / 1e6, seconds,
				Files.size(page) / 1e3, open);
			Files.delete(trace);
		}
		try (var walk = Files.walk(dir)) {
			walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
		}
		System.out.printf(Locale.ROOT, "%nJava %s, %d cores, heap max %d MB, load average %.1f.%n",
			System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
			Runtime.getRuntime().maxMemory() >> 20,
			java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
	}

	/** Opens a timed copy of the page; the milliseconds it took to be laid out. */
	static long loadMillis(Chromium chromium, Path page) throws Exception {
		String html = Files.readString(page);
		Path timed = page.resolveSibling("timed.html");
		Files.writeString(timed, html.replace("</body>", "<script>addEventListener('load', function () { "
			+ "document.body.offsetHeight; document.documentElement.setAttribute('data-ms', String(performance.now())); });"
			+ "</script></body>"));
		String dom = chromium.dumpDom(timed, 0);
		java.util.regex.Matcher m = java.util.regex.Pattern.compile("data-ms=\"([0-9.]+)\"").matcher(dom);
		if (!m.find()) throw new IllegalStateException("the timed page did not report its load time");
		return Math.round(Double.parseDouble(m.group(1)));
	}

	/** {@code tries} tries, as workers write them: start records first, end records when each try ends. */
	static void write(Path file, int tries) throws Exception {
		Random random = new Random(19);
		int workers = Math.max(8, Math.min(1000, tries / 1000));
		long[] free = new long[workers];
		Instant t0 = Instant.parse("2026-01-05T10:00:00Z");
		try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
			int written = 0, task = 0;
			while (written < tries) {
				boolean failing = random.nextDouble() < 0.03;
				int attempts = failing ? 3 : 1;
				String reason = REASONS[random.nextInt(REASONS.length)];
				for (int a = 1; a <= attempts && written < tries; a++, written++) {
					int w = 0;
					for (int i = 1; i < workers; i++) if (free[i] < free[w]) w = i;
					long startMs = free[w] + random.nextInt(500);
					long ms = (long) (60_000 * Math.exp(random.nextGaussian() * 0.6));
					free[w] = startMs + ms;
					boolean cut = random.nextDouble() < 0.001;
					Outcome outcome = cut ? null : failing ? Outcome.FAILED : Outcome.SUCCEEDED;
					TraceRecord start = record("start", task, a, w, t0.plusMillis(startMs), null, Outcome.STARTED, null);
					out.write(start.toJson());
					out.newLine();
					if (outcome != null) {
						out.write(record("end", task, a, w, t0.plusMillis(startMs), t0.plusMillis(startMs + ms), outcome,
							failing ? reason : null).toJson());
						out.newLine();
					}
				}
				task++;
			}
		}
	}

	private static TraceRecord record(String kind, int task, int attempt, int worker, Instant start, Instant end,
		Outcome outcome, String reason) {
		String id = Integer.toString(task);
		String well = String.format(Locale.ROOT, "%c%02d", 'A' + task % 16, task % 24 + 1);
		Double seconds = end == null ? null : (end.toEpochMilli() - start.toEpochMilli()) / 1000.0;
		return new TraceRecord(kind, "bench", id, "Metadata_Plate=P" + task / 384 + ", Metadata_Well=" + well,
			Map.of("Metadata_Plate", "P" + task / 384, "Metadata_Well", well), attempt, "worker-" + worker % 4,
			"i-" + worker / 4 + "-1-0", "i-" + worker / 4, "m5.xlarge", "us-east-1a", "cellprofiler", start, end, seconds,
			outcome, reason, 4_000_000, 200_000, seconds == null ? null : seconds * 0.9, seconds == null ? null : 900.0);
	}

	interface Timed {
		long millis() throws Exception;
	}

	private static long median(int runs, Timed timed) throws Exception {
		List<Long> all = new ArrayList<>();
		for (int i = 0; i < runs; i++) all.add(timed.millis());
		all.sort(null);
		return all.get(runs / 2);
	}
}
