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
 * <p>Options (--name=value): tasks (200, warm), process-tasks (200, per-task process), warmup (5).
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

	/** Runs {@code untimed} tasks, then times {@code timed} more, through one worker of its own. */
	private static Result measure(String model, Config config, Path root, Path scripts, int untimed, int timed)
		throws Exception
	{
		LocalTaskQueue queue = new LocalTaskQueue(1, Duration.ofMinutes(10));
		Path results = Files.createDirectories(root.resolve("results"));
		LocalObjectStore files = new LocalObjectStore(scripts);
		Stores stores = new Stores(files, files, new LocalObjectStore(results));
		Worker.Setup setup = new Worker.Setup(queue, stores, DoneCheck.of(config), WorkerListener.NONE,
			root.resolve("scratch"), Duration.ofMillis(100));
		Worker worker = new Worker("bench", new Runners(Runners.installed(), config), setup);
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
