package org.parascope.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
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
 * time spent in the trace's calls is measured on its own; docs/trace.md), dump (with trace-rounds: a file for
 * the time in each traced try's calls).
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

	/**
	 * {@code waitMs}: per task, the time the worker's thread was ready to run but waited for a CPU (Linux);
	 * {@code typicalMs}: the median task's time minus the median script time, which the pauses of a few tasks
	 * (a collection, a busy machine) do not move.
	 */
	private record Result(String model, int tasks, double seconds, double scriptMs, double waitMs, double typicalMs) {
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
			compareTrace(dir, warmup, tasks, traceRounds, options.containsKey("dump") ? Path.of(options.get("dump")) : null);
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
	 * The warm model with the trace off and on (a trace file as run --local writes), each round in a fresh
	 * worker, and the time the worker spends in the trace's calls, timed around each. Both arms are warmed
	 * alike: an untimed round with the trace off comes first (else the first timed round, always an "off"
	 * one, paid the JIT's work on the worker and the engine alone), then the arms take turns going first
	 * (off-on, on-off, ...). The trace's own start in this JVM (its classes, the sampler) and its first,
	 * not yet compiled calls stay in the "on" figures: a worker pays them once, and they are reported so.
	 */
	private static void compareTrace(Path dir, int warmup, int tasks, int rounds, Path dump) throws Exception {
		// What a worker's own start costs, beside which the trace's start is set: its runtime and first task.
		long w0 = System.nanoTime();
		measure("start", Config.defaults(), dir.resolve("start"), dir, 0, 1, Trace.NONE);
		double workerStartMs = (System.nanoTime() - w0) / 1e6;
		measure("warm-up", Config.defaults(), dir.resolve("warm-up"), dir, warmup, tasks, Trace.NONE);
		List<Result> off = new ArrayList<>(), on = new ArrayList<>();
		List<long[]> tries = new ArrayList<>(); // {round, ns in begin, ns in end} of every traced try, untimed ones too
		long startNanos = 0, traceCpuNanos = 0;
		List<Double> traceCpuByRound = new ArrayList<>(); // ms per try
		for (int r = 0; r < rounds; r++) {
			for (boolean traced : r % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false}) {
				if (!traced) {
					off.add(measure("off", Config.defaults(), dir.resolve("off" + r), dir, warmup, tasks, Trace.NONE));
					continue;
				}
				Machine machine = Machine.local("bench"); // a worker knows its machine before its trace starts
				long t0 = System.nanoTime();
				TraceWriter writer = new TraceWriter("bench", machine, new FileTraceSink(dir.resolve("trace" + r
					+ ".jsonl")), 500, Duration.ofSeconds(60), line -> {});
				// The first writer of this JVM: the trace's start (its classes, its thread). threadsCpu loads the JVM's
				// management beans only after it, so that a trace that did load them would pay for it here.
				if (r == 0) startNanos = System.nanoTime() - t0;
				long before = threadsCpu("parascope-trace"); // one per JVM, started by the first writer
				on.add(measure("on", Config.defaults(), dir.resolve("on" + r), dir, warmup, tasks, timed(writer, r, tries)));
				long used = threadsCpu("parascope-trace") - before;
				long closing = threads().getCurrentThreadCpuTime();
				writer.close(); // its last batch, on this thread
				used += threads().getCurrentThreadCpuTime() - closing;
				traceCpuNanos += used;
				traceCpuByRound.add(used / 1e6 / (warmup + tasks));
			}
		}
		if (dump != null) {
			StringBuilder lines = new StringBuilder("round beginNs endNs\n");
			for (long[] t : tries) lines.append(t[0]).append(' ').append(t[1]).append(' ').append(t[2]).append('\n');
			Files.writeString(dump, lines);
		}
		double offMs = median(off.stream().map(Result::overheadMs).toList());
		double onMs = median(on.stream().map(Result::overheadMs).toList());
		System.out.println("| trace | rounds | tasks per round | overhead ms per task (median of rounds) | each round | "
			+ "median task's overhead ms, each round | the worker waited for a CPU, ms per task (median of rounds) |");
		System.out.println("|---|---:|---:|---:|---|---|---:|");
		for (List<Result> arm : List.of(off, on)) {
			System.out.printf(Locale.ROOT, "| %s | %d | %d | %.3f | %s | %s | %.4f |%n", arm.get(0).model(), rounds, tasks,
				median(arm.stream().map(Result::overheadMs).toList()),
				arm.stream().map(x -> String.format(Locale.ROOT, "%.2f", x.overheadMs())).toList(),
				arm.stream().map(x -> String.format(Locale.ROOT, "%.3f", x.typicalMs())).toList(),
				median(arm.stream().map(Result::waitMs).toList()));
		}
		double typicalOff = median(off.stream().map(Result::typicalMs).toList());
		double typicalOn = median(on.stream().map(Result::typicalMs).toList());
		System.out.printf(Locale.ROOT, "%nOn / off, whole rounds: %.3f (%+.3f ms per task); the median task: %.3f (%+.3f ms).%n",
			onMs / offMs, onMs - offMs, typicalOn / typicalOff, typicalOn - typicalOff);

		// In the trace's calls (begin + end of a try), against the untraced overhead.
		List<Double> all = new ArrayList<>(), later = new ArrayList<>();
		List<String> byRound = new ArrayList<>();
		for (int r = 0; r < rounds; r++) {
			List<Double> round = new ArrayList<>();
			for (long[] t : tries) if (t[0] == r) round.add((t[1] + t[2]) / 1e6);
			all.addAll(round);
			if (r > 0) later.addAll(round);
			byRound.add(String.format(Locale.ROOT, "%.4f / %.4f", median(round), mean(round)));
		}
		double firstTry = all.get(0), steady = mean(later);
		double firstRoundExcess = mean(all.subList(1, tries.size() / rounds)) * (tries.size() / rounds - 1) - steady
			* (tries.size() / rounds - 1);
		double oneTime = startNanos / 1e6 + firstTry + Math.max(0, firstRoundExcess);
		System.out.printf(Locale.ROOT, "%nIn the trace's calls, per try (begin + end), %d tries (%d rounds of %d, untimed ones "
			+ "included), against the untraced overhead of %.3f ms per task:%n", all.size(), rounds, all.size() / rounds, offMs);
		System.out.printf(Locale.ROOT, "- median %.4f ms (%.2f %%); mean of all %.4f ms (%.2f %%)%n", median(all),
			median(all) / offMs * 100, mean(all), mean(all) / offMs * 100);
		System.out.printf(Locale.ROOT, "- mean without the JVM's first traced try %.4f ms (%.2f %%); mean after the first round "
			+ "%.4f ms (%.2f %%)%n", mean(all.subList(1, all.size())), mean(all.subList(1, all.size())) / offMs * 100, steady,
			steady / offMs * 100);
		System.out.printf(Locale.ROOT, "- by round, median / mean: %s%n", byRound);
		System.out.printf(Locale.ROOT, "- longest calls, ms: %s%n", all.stream().sorted(Comparator.reverseOrder()).limit(8)
			.map(x -> String.format(Locale.ROOT, "%.3f", x)).toList());
		System.out.printf(Locale.ROOT, "One-time, per worker process: the first writer's start %.2f ms, the first try's calls "
			+ "%.2f ms, the first round's other tries beyond the later mean %.2f ms: %.2f ms in all; over 1,000 tasks a "
			+ "worker pays %.4f ms per task (%.2f %%) with the later mean. The JVM's first worker took %.0f ms to start and run "
			+ "its first task (the trace's start is %.2f %% of it).%n", startNanos / 1e6, firstTry, firstRoundExcess, oneTime,
			oneTime / 1000 + steady, (oneTime / 1000 + steady) / offMs * 100, workerStartMs, startNanos / 1e6 / workerStartMs * 100);
		double threadSteady = mean(traceCpuByRound.subList(1, rounds));
		System.out.printf(Locale.ROOT, "The trace's thread (writing, sampling), CPU per try: %.4f ms over all tries; after the first "
			+ "round %.4f ms (%.2f %%), the first round's excess %.2f ms, paid once; by round %s.%n", traceCpuNanos / 1e6 / all.size(),
			threadSteady, threadSteady / offMs * 100, (traceCpuByRound.get(0) - threadSteady) * all.size() / rounds,
			traceCpuByRound.stream().map(x -> String.format(Locale.ROOT, "%.4f", x)).toList());
	}

	/** CPU time (ns) of the live threads named {@code name}. */
	private static long threadsCpu(String name) {
		long sum = 0;
		for (Thread t : Thread.getAllStackTraces().keySet()) {
			if (t.getName().equals(name)) sum += Math.max(0, threads().getThreadCpuTime(t.getId()));
		}
		return sum;
	}

	/** Not a constant: loading the management beans before the trace's start would hide part of its cost. */
	private static java.lang.management.ThreadMXBean threads() {
		return java.lang.management.ManagementFactory.getThreadMXBean();
	}

	/** A trace that notes the nanoseconds spent in each try's begin and end calls in {@code tries}. */
	private static Trace timed(Trace trace, int round, List<long[]> tries) {
		return new Trace() {
			@Override
			public Try begin(String worker, Task task, int attempt) {
				long t0 = System.nanoTime();
				Try inner = trace.begin(worker, task, attempt);
				long inBegin = System.nanoTime() - t0;
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
						tries.add(new long[] {round, inBegin, inEnd});
					}
				};
			}

			@Override
			public void skipped(String worker, Task task, int attempt) {
				trace.skipped(worker, task, attempt);
			}

			@Override
			public void close() {}
		};
	}

	private static double mean(List<Double> values) {
		return values.stream().mapToDouble(Double::doubleValue).sum() / values.size();
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
		long waited = runDelayNanos();
		long start = System.nanoTime();
		int ran = 0;
		List<Double> each = new ArrayList<>(); // ms per task, the script included
		for (long t0 = start, t1; worker.runOnce(Duration.ZERO); t0 = t1) {
			ran++;
			t1 = System.nanoTime();
			each.add((t1 - t0) / 1e6);
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		waited = runDelayNanos() - waited;
		if (ran != timed || queue.deadTasks().size() > 0) throw new IllegalStateException(model + ": ran " + ran + " of " + timed);
		double scriptMs = 0;
		List<Double> scriptTimes = new ArrayList<>();
		for (int i = untimed; i < untimed + timed; i++) {
			Path task = results.resolve("t" + i);
			if (!Files.exists(task.resolve("W" + i + ".txt"))) throw new IllegalStateException(model + ": no output of task " + i);
			scriptTimes.add(Double.parseDouble(Files.readString(task.resolve("script-ms.txt"))));
			scriptMs += scriptTimes.get(scriptTimes.size() - 1);
		}
		return new Result(model, timed, seconds, scriptMs / timed, waited / 1e6 / timed, median(each) - median(scriptTimes));
	}

	/** How long this thread has waited on a run queue (Linux schedstat), ns; 0 elsewhere. */
	private static long runDelayNanos() {
		try {
			return Long.parseLong(Files.readString(Path.of("/proc/thread-self/schedstat")).trim().split(" ")[1]);
		}
		catch (java.io.IOException | RuntimeException e) {
			return 0;
		}
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
