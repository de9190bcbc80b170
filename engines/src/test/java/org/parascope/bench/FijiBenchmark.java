package org.parascope.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.parascope.config.Config;
import org.parascope.config.ConfigKey;
import org.parascope.fiji.FijiStandIn;
import org.parascope.job.Engine;
import org.parascope.job.Task;
import org.parascope.queue.LocalTaskQueue;
import org.parascope.store.LocalObjectStore;
import org.parascope.trace.FileTraceSink;
import org.parascope.trace.Machine;
import org.parascope.trace.Trace;
import org.parascope.trace.TraceRecord;
import org.parascope.trace.TraceWriter;
import org.parascope.worker.DoneCheck;
import org.parascope.worker.Runners;
import org.parascope.worker.Stores;
import org.parascope.worker.Worker;
import org.parascope.worker.WorkerListener;

/**
 * Per-task cost of Fiji tasks through the real worker loop (local queue and stores, one worker), in the
 * same run: the warm SciJava runtime against a new ImageJ process per task (Distributed-Fiji's model;
 * the installed Fiji is {@link FijiStandIn}'s, a real scijava-common and Jython started per task). The
 * task is a trivial Jython script with #@String parameters that writes one file into output/ and
 * reports its own running time; overhead = time per task minus that script time. Each model first runs
 * a few untimed tasks (the warm runtime's start is paid once per worker, not per task). Prints a
 * Markdown report for docs/benchmarks.md, which also gives the command.
 *
 * <p>Options (--name=value): tasks (200, warm), process-tasks (200, per-task process), warmup (5), trace-rounds
 * (0: with n, the warm model runs n more times with the trace on and n with it off, alternately, and the
 * time spent in the trace's calls is measured on its own; docs/trace.md).
 */
public final class FijiBenchmark {

	static final String SCRIPT = """
		#@String well
		#@String channel
		import time
		start = time.time()
		with open('output/' + well + '.txt', 'w') as f:
		    f.write(channel)
		with open('output/script-ms.txt', 'w') as f:
		    f.write(str((time.time() - start) * 1000))
		""";

	private record Result(String model, int tasks, double seconds, double scriptMs) {
		double perTaskMs() {
			return seconds * 1000 / tasks;
		}

		double overheadMs() {
			return perTaskMs() - scriptMs;
		}
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new HashMap<>();
		for (String arg : args) options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
		int tasks = Integer.parseInt(options.getOrDefault("tasks", "200"));
		int processTasks = Integer.parseInt(options.getOrDefault("process-tasks", "200"));
		int warmup = Integer.parseInt(options.getOrDefault("warmup", "5"));
		Path dir = Files.createTempDirectory("fiji-bench");
		Files.writeString(dir.resolve("bench.py"), SCRIPT);
		Path fiji = FijiStandIn.install(dir.resolve("Fiji.app"));

		int traceRounds = Integer.parseInt(options.getOrDefault("trace-rounds", "0"));
		if (traceRounds > 0) {
			compareTrace(dir, warmup, tasks, traceRounds);
			return;
		}
		Result warm = measure("warm SciJava runtime (Parascope)", Config.defaults(), dir.resolve("warm"), dir, warmup, tasks);
		Result process = measure("new ImageJ process per task (Distributed-Fiji's model)",
			Config.defaults().with(ConfigKey.FIJI_HOME, fiji.toString()), dir.resolve("process"), dir, 1, processTasks);

		System.out.println("| model | tasks | seconds | ms per task | script ms per task | overhead ms per task | tasks/s |");
		System.out.println("|---|---:|---:|---:|---:|---:|---:|");
		for (Result r : List.of(warm, process)) {
			System.out.printf("| %s | %d | %.1f | %.1f | %.2f | %.1f | %.2f |%n", r.model(), r.tasks(), r.seconds(),
				r.perTaskMs(), r.scriptMs(), r.overheadMs(), r.tasks() / r.seconds());
		}
		System.out.printf("%nOverhead per task: warm %.1f ms, per-task process %.0f ms: %.0fx lower warm.%n",
			warm.overheadMs(), process.overheadMs(), process.overheadMs() / warm.overheadMs());
		System.out.printf("Java %s, %d cores.%n", System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
	}

	/**
	 * The warm model with the trace off and on (a trace file as run --local writes), alternately, each
	 * round in a fresh worker; and the time the worker spends in the trace's calls, timed around them.
	 */
	private static void compareTrace(Path dir, int warmup, int tasks, int rounds) throws Exception {
		List<Double> off = new ArrayList<>(), on = new ArrayList<>();
		long[] inTrace = new long[2]; // nanoseconds, calls
		for (int r = 0; r < rounds; r++) {
			off.add(measure("off", Config.defaults(), dir.resolve("off" + r), dir, warmup, tasks, Trace.NONE).overheadMs());
			Path file = dir.resolve("trace" + r + ".jsonl");
			try (TraceWriter writer = new TraceWriter("bench", Machine.local("bench"), new FileTraceSink(file), 500,
				Duration.ofSeconds(60), line -> {})) {
				int first = PER_TRY.size();
				on.add(measure("on", Config.defaults(), dir.resolve("on" + r), dir, warmup, tasks, timed(writer, inTrace)).overheadMs());
				ROUND_MEDIANS.add(String.format(java.util.Locale.ROOT, "%.4f",
					median(PER_TRY.subList(first, PER_TRY.size()).stream().map(ns -> ns / 1e6).toList())));
			}
		}
		double medianOff = median(off), medianOn = median(on);
		double perTryMs = inTrace[0] / 1e6 / inTrace[1] * 2; // a try makes two timed calls (begin, end)
		// The mean counts every pause that fell into a call (a collection, the scheduler on a busy machine);
		// the median try is what a try usually pays.
		List<Double> each = new ArrayList<>();
		synchronized (PER_TRY) {
			PER_TRY.forEach(ns -> each.add(ns / 1e6));
		}
		System.out.println("| trace | rounds | tasks per round | overhead ms per task (median) | each round |");
		System.out.println("|---|---:|---:|---:|---|");
		System.out.printf(java.util.Locale.ROOT, "| off | %d | %d | %.2f | %s |%n", rounds, tasks, medianOff, off);
		System.out.printf(java.util.Locale.ROOT, "| on | %d | %d | %.2f | %s |%n", rounds, tasks, medianOn, on);
		System.out.printf(java.util.Locale.ROOT, "%nIn the trace's calls: %.3f ms per try (%d calls timed), %.2f %% of the "
			+ "untraced overhead of %.2f ms; on - off: %+.2f ms (%+.1f %%), within the rounds' spread.%n", perTryMs, inTrace[1],
			perTryMs / medianOff * 100, medianOff, medianOn - medianOff, (medianOn - medianOff) / medianOff * 100);
		double medianTry = median(each);
		System.out.printf(java.util.Locale.ROOT, "Per try (begin + end), median of %d tries: %.4f ms, %.2f %% of the untraced "
			+ "overhead; median by round: %s%n", each.size(), medianTry, medianTry / medianOff * 100, ROUND_MEDIANS);
	}

	/** Nanoseconds in the trace's calls of each try; the median (ms) of each traced round. */
	private static final List<Long> PER_TRY = new ArrayList<>();
	private static final List<String> ROUND_MEDIANS = new ArrayList<>();

	/** A trace that adds the time spent in its begin and end calls to {@code total} ({ns, calls}). */
	private static Trace timed(Trace trace, long[] total) {
		return new Trace() {
			@Override
			public Try begin(String worker, Task task, int attempt) {
				long t0 = System.nanoTime();
				Try inner = trace.begin(worker, task, attempt);
				long inBegin = System.nanoTime() - t0;
				add(t0);
				return new Try() {
					@Override
					public void fetched(long bytes) {
						inner.fetched(bytes);
					}

					@Override
					public void stored(long bytes) {
						inner.stored(bytes);
					}

					@Override
					public void end(TraceRecord.Outcome outcome, String reason) {
						long t1 = System.nanoTime();
						inner.end(outcome, reason);
						long inEnd = System.nanoTime() - t1;
						add(t1);
						synchronized (PER_TRY) {
							PER_TRY.add(inBegin + inEnd);
						}
					}
				};
			}

			private synchronized void add(long since) {
				total[0] += System.nanoTime() - since;
				total[1]++;
			}

			@Override
			public void skipped(String worker, Task task, int attempt) {
				trace.skipped(worker, task, attempt);
			}

			@Override
			public void close() {}
		};
	}

	private static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		return sorted.get(sorted.size() / 2);
	}

	private static Result measure(String model, Config config, Path root, Path scripts, int untimed, int timed)
		throws Exception
	{
		return measure(model, config, root, scripts, untimed, timed, Trace.NONE);
	}

	/** Runs {@code untimed} tasks, then times {@code timed} more, through one worker of its own. */
	private static Result measure(String model, Config config, Path root, Path scripts, int untimed, int timed, Trace trace)
		throws Exception
	{
		LocalTaskQueue queue = new LocalTaskQueue(1, Duration.ofMinutes(10));
		Path results = Files.createDirectories(root.resolve("results"));
		LocalObjectStore files = new LocalObjectStore(scripts);
		Stores stores = new Stores(files, files, new LocalObjectStore(results));
		Worker.Setup setup = new Worker.Setup(queue, stores, DoneCheck.of(config), WorkerListener.NONE,
			root.resolve("scratch"), Duration.ofMillis(100));
		Worker worker = new Worker("bench", new Runners(Runners.installed(), config), setup, trace);
		queue.send(tasks(0, untimed));
		while (worker.runOnce(Duration.ZERO)) {
			// the untimed tasks
		}
		queue.send(tasks(untimed, timed));
		long start = System.nanoTime();
		int ran = 0;
		while (worker.runOnce(Duration.ZERO)) ran++;
		double seconds = (System.nanoTime() - start) / 1e9;
		if (ran != timed || queue.deadTasks().size() > 0) throw new IllegalStateException(model + ": ran " + ran + " of " + timed);
		double scriptMs = 0;
		for (int i = untimed; i < untimed + timed; i++) {
			Path task = results.resolve("t" + i);
			if (!Files.exists(task.resolve("W" + i + ".txt"))) throw new IllegalStateException(model + ": no output of task " + i);
			scriptMs += Double.parseDouble(Files.readString(task.resolve("script-ms.txt")));
		}
		return new Result(model, timed, seconds, scriptMs / timed);
	}

	private static List<Task> tasks(int from, int count) {
		List<Task> tasks = new ArrayList<>();
		for (int i = from; i < from + count; i++) {
			tasks.add(new Task(Integer.toString(i), Engine.FIJI, "bench.py", Map.of("well", "W" + i),
				Map.of("channel", "DAPI"), List.of(), null, null, "t" + i));
		}
		return tasks;
	}
}
