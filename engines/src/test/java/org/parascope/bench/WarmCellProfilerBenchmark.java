package org.parascope.bench;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.parascope.cellprofiler.CellProfilerRunnerProvider;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;
import org.parascope.examples.NucleiImages;
import org.parascope.job.Engine;
import org.parascope.job.Task;
import org.parascope.worker.Runner;
import org.parascope.worker.TaskLog;
import org.parascope.worker.TaskRun;

/**
 * A CellProfiler task's time outside CellProfiler's modules, a new {@code cellprofiler} process per task
 * against the warm CellProfiler (CELLPROFILER_WARM), in the same run, through the worker's real
 * CellProfiler runner. Outside the modules = the task's wall time minus the modules' own wall times, as
 * CellProfiler logs them ("Wall_time = X secs" per module and image set): Python's imports, the JVM, the
 * pipeline's loading and LoadData's reading of the CSV, and what the runner itself does.
 *
 * <p>Two pipelines' lengths: a short group (one image set) and a long one (eight image sets) of the nuclei
 * pipeline (LoadData, IdentifyPrimaryObjects, MeasureObjectSizeShape, ExportToSpreadsheet); images are
 * TIFFs (read by Bio-Formats on CellProfiler 4) or PNGs ({@code --png}: CellProfiler 5 here cannot read
 * TIFFs, its Bio-Formats comes from a Maven repository this machine cannot reach).
 *
 * <p>Options: {@code --cellprofiler=PROGRAM} (default: the tests' one), {@code --tasks=N} (8) per mode and
 * length, {@code --png}. Prints a Markdown table for docs/benchmarks.md, which gives the command.
 */
public final class WarmCellProfilerBenchmark {

	private static final Pattern MODULE_WALL = Pattern.compile("Wall_time = ([0-9.]+) secs");

	public static void main(String[] args) throws Exception {
		String cellprofiler = option(args, "--cellprofiler=", null);
		if (cellprofiler == null) cellprofiler = org.parascope.cellprofiler.CellProfilerInstall.executable().toString();
		int tasks = Integer.parseInt(option(args, "--tasks=", "8"));
		boolean png = List.of(args).contains("--png");
		Path dir = Files.createTempDirectory("cp-warm-bench");

		System.out.println("| group | runner | first task: outside modules (s) | later tasks: median outside modules (s)"
			+ " | median modules (s) | mean outside modules over " + tasks + " tasks (s) |");
		System.out.println("|---|---|---|---|---|---|");
		for (int sets : List.of(1, 8)) {
			Path csv = plate(dir.resolve("plate-" + sets), sets, tasks, png);
			List<Double> fresh = null;
			for (boolean warm : List.of(false, true)) {
				Config config = Config.defaults().with(ConfigKey.CELLPROFILER_EXECUTABLE, cellprofiler)
					.with(ConfigKey.CELLPROFILER_WARM, warm);
				List<double[]> times = new ArrayList<>();
				try (Runner runner = new CellProfilerRunnerProvider().create(config)) {
					for (int t = 0; t < tasks; t++) times.add(task(runner, csv, dir.resolve("run-" + sets + "-" + warm + "-" + t), t));
				}
				List<Double> outside = times.stream().map(x -> x[0] - x[1]).toList();
				double mean = outside.stream().mapToDouble(Double::doubleValue).average().orElse(0);
				System.out.printf("| %d image set%s | %s | %.2f | %.3f | %.2f | %.3f |%n", sets, sets == 1 ? "" : "s",
					warm ? "warm" : "process per task", outside.get(0), median(outside.subList(1, outside.size())),
					median(times.stream().map(x -> x[1]).toList()), mean);
				if (!warm) fresh = outside;
				else {
					System.out.printf("|  | ratio | | **%.0fx** | | **%.1fx** |%n",
						median(fresh.subList(1, fresh.size())) / median(outside.subList(1, outside.size())),
						fresh.stream().mapToDouble(Double::doubleValue).average().orElse(0) / mean);
				}
			}
		}
	}

	/** One task; returns its wall time and its modules' wall time, in seconds. */
	private static double[] task(Runner runner, Path csv, Path work, int group) throws Exception {
		Path input = Files.createDirectories(work.resolve("input"));
		Files.copy(csv, input.resolve("load_data.csv"));
		Path script = Files.createDirectories(work.resolve("script")).resolve("nuclei.cppipe");
		try (InputStream in = CellProfilerRunnerProvider.class.getResourceAsStream("nuclei.cppipe")) {
			Files.copy(in, script);
		}
		Task task = new Task("1", Engine.CELLPROFILER, "nuclei.cppipe",
			Map.of("Metadata_Plate", "Plate 1", "Metadata_Well", well(group)), Map.of(), List.of(), "load_data.csv", null, "out");
		TaskLog log = new TaskLog();
		TaskRun run = new TaskRun(task, work, script, input, Files.createDirectories(work.resolve("output")), log);
		long start = System.nanoTime();
		runner.run(run);
		double wall = (System.nanoTime() - start) / 1e9;
		double modules = 0;
		for (String line : log.lines()) {
			Matcher m = MODULE_WALL.matcher(line);
			if (m.find()) modules += Double.parseDouble(m.group(1));
		}
		return new double[] {wall, modules};
	}

	/** A LoadData CSV of {@code tasks} wells with {@code sets} image sets each. */
	private static Path plate(Path dir, int sets, int tasks, boolean png) throws IOException {
		Files.createDirectories(dir);
		StringBuilder csv = new StringBuilder("FileName_DNA,PathName_DNA,Metadata_Plate,Metadata_Well,Metadata_Site\n");
		for (int t = 0; t < tasks; t++) {
			for (int s = 1; s <= sets; s++) {
				int image = (t * sets + s - 1) % NucleiImages.IMAGES + 1;
				BufferedImage picture = NucleiImages.render(image, NucleiImages.nuclei(image));
				String name = well(t) + "_s" + s + (png ? ".png" : ".tif");
				if (!ImageIO.write(picture, png ? "png" : "tif", dir.resolve(name).toFile())) {
					throw new IOException("no ImageIO writer for " + name);
				}
				csv.append(name).append(',').append(dir).append(",Plate 1,").append(well(t)).append(',').append(s).append('\n');
			}
		}
		return Files.writeString(dir.resolve("load_data.csv"), csv);
	}

	private static String well(int t) {
		return "A" + String.format("%02d", t + 1);
	}

	private static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		int n = sorted.size();
		return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
	}

	private static String option(String[] args, String prefix, String fallback) {
		for (String a : args) if (a.startsWith(prefix)) return a.substring(prefix.length());
		return fallback;
	}
}
