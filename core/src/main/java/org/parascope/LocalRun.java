package org.parascope;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.parascope.config.Config;
import org.parascope.config.ConfigKey;
import org.parascope.fleet.LocalFleet;
import org.parascope.job.Job;
import org.parascope.job.Task;
import org.parascope.progress.JobProgress;
import org.parascope.progress.ProgressListener;
import org.parascope.queue.LocalTaskQueue;
import org.parascope.queue.QueueCounts;
import org.parascope.queue.TaskQueue;
import org.parascope.report.Reports;
import org.parascope.store.LocalObjectStore;
import org.parascope.store.ObjectStore;
import org.parascope.trace.FileTraceSink;
import org.parascope.trace.Machine;
import org.parascope.trace.TraceWriter;
import org.parascope.worker.DoneCheck;
import org.parascope.worker.RetryBackoff;
import org.parascope.worker.RunnerProvider;
import org.parascope.worker.Runners;
import org.parascope.worker.ScriptDownload;
import org.parascope.worker.Stores;
import org.parascope.worker.TaskLog;
import org.parascope.worker.Worker;
import org.parascope.worker.WorkerListener;

/**
 * A job run on this machine (run --local, Run Locally): workers take its tasks from a local queue, with
 * scripts and inputs read from the job file's folder; the run's trace and report go beside its results.
 * TASK_TIMEOUT applies as on AWS; a failed task is tried again at once.
 */
public final class LocalRun {

	/** Tasks go to the queue in batches of this many (SQS's SendMessageBatch limit, kept locally too). */
	static final int BATCH = 10;
	private static final Duration PROGRESS_EVERY = Duration.ofMillis(250);
	/** The most missing files a failed check lists. */
	private static final int MISSING_SHOWN = 10;

	/** A task that failed every try, with why it failed the last time. */
	public record FailedTask(Task task, String reason, List<String> logTail) {}

	/**
	 * How a run ended.
	 *
	 * @param results where the results are
	 * @param report  the run's report (docs/trace.md); its trace is beside it; null when none was written
	 */
	public record Result(String job, JobProgress progress, List<FailedTask> failed, String results, int workers, String report) {

		public Result(String job, JobProgress progress, List<FailedTask> failed, String results, int workers) {
			this(job, progress, failed, results, workers, null);
		}

		public boolean allSucceeded() {
			return failed.isEmpty() && progress.dead() == 0;
		}
	}

	private final Config config;
	private final List<RunnerProvider> engines;
	private final Function<String, ObjectStore> buckets;

	/** @param buckets the store of an s3:// location, for SCRIPT_DOWNLOAD_URL */
	LocalRun(Config config, List<RunnerProvider> engines, Function<String, ObjectStore> buckets) {
		this.config = config;
		this.engines = List.copyOf(engines);
		this.buckets = buckets;
	}

	/** Runs the job with {@code workers} workers, results to {@code output}; progress as it goes. */
	Result run(Path jobFile, int workers, Path output, ProgressListener progress) {
		if (workers < 1) throw new ParascopeException("--workers must be at least 1, got " + workers);
		Job job = Job.read(jobFile);
		ObjectStore files = new LocalObjectStore(jobFile.toAbsolutePath().getParent());
		TaskQueue queue = new LocalTaskQueue(config.integer(ConfigKey.JOB_RETRIES),
			Duration.ofSeconds(config.integer(ConfigKey.SQS_MESSAGE_VISIBILITY)));
		queueAll(job, files, queue);

		Tally tally = new Tally(job.taskCount());
		Path scratch = LocalScratch.inTemp();
		Stores stores = new Stores(files, files, new LocalObjectStore(output),
			ScriptDownload.of(config, buckets, scratch.resolve("downloaded-script")));
		Worker.Setup setup = new Worker.Setup(queue, stores, DoneCheck.of(config), tally, scratch, Duration.ofMillis(200),
			Duration.ofSeconds(config.integer(ConfigKey.TASK_TIMEOUT)), RetryBackoff.NONE);
		Path runFolder = Reports.newLocalRun(output, Instant.now());
		Path traceFile = runFolder.resolve(Reports.TRACE_FILE);
		JobProgress last;
		// Records go to the file every second: a run stopped with Ctrl-C keeps what it did.
		try (TraceWriter trace = new TraceWriter(job.name(), Machine.local(hostName()), new FileTraceSink(traceFile), 1000,
			Duration.ofSeconds(1), line -> {});
			LocalFleet fleet = new LocalFleet(n -> new Worker("worker-" + n, new Runners(engines, config), setup, trace))) {
			fleet.start(workers);
			while (true) {
				QueueCounts counts = queue.counts();
				last = tally.progress(counts);
				progress.update(last);
				if (counts.drained()) break;
				Ticker.SYSTEM.sleep(PROGRESS_EVERY);
			}
		}
		finally {
			LocalScratch.delete(scratch);
		}
		Path report = Files.exists(traceFile) ? RunReports.writeLocal(config, traceFile, job.name(), job.taskCount()) : null;
		return new Result(job.name(), last, tally.failures(queue.deadTasks()), output.toAbsolutePath().toString(), workers,
			report == null ? null : report.toAbsolutePath().toString());
	}

	/**
	 * Puts the job's tasks on the queue in batches, in one pass over its task list (a million-task job never
	 * sits in memory whole), checking as it goes that every script, data file and input the job names is
	 * there. The queue is this run's own: a missing file fails the run before any worker starts.
	 */
	static void queueAll(Job job, ObjectStore files, TaskQueue queue) {
		Set<String> checked = new HashSet<>();
		List<String> missing = new ArrayList<>();
		List<Task> batch = new ArrayList<>(BATCH);
		job.forEachTask(task -> {
			List<String> keys = new ArrayList<>(task.inputs());
			if (task.script() != null && checked.add(task.script())) keys.add(task.script());
			if (task.dataFile() != null && checked.add(task.dataFile())) keys.add(task.dataFile());
			for (String key : keys) {
				if (missing.size() < MISSING_SHOWN && !files.exists(key)) missing.add(key + " (task " + task.label() + ")");
			}
			if (!missing.isEmpty()) return; // nothing runs: sending more is wasted
			batch.add(task);
			if (batch.size() == BATCH) {
				queue.send(batch);
				batch.clear();
			}
		});
		if (!missing.isEmpty()) {
			throw new ParascopeException(job.file() + ": files not found in " + files.location() + ":\n  "
				+ String.join("\n  ", missing));
		}
		if (!batch.isEmpty()) queue.send(batch);
	}

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (IOException e) {
			return "localhost";
		}
	}

	/** Follows the run from the workers' reports. */
	private static final class Tally implements WorkerListener {

		private final long total;
		private final long startNanos = System.nanoTime();
		private final AtomicLong succeeded = new AtomicLong();
		private final AtomicLong skipped = new AtomicLong();
		private final AtomicLong retries = new AtomicLong();
		private final AtomicLong running = new AtomicLong();
		private final Map<String, FailedTask> lastFailure = new ConcurrentHashMap<>();

		Tally(long total) {
			this.total = total;
		}

		@Override
		public void started(Task task, int attempt) {
			running.incrementAndGet();
		}

		@Override
		public void succeeded(Task task, Duration took, TaskLog log) {
			running.decrementAndGet();
			succeeded.incrementAndGet();
			lastFailure.remove(task.id());
		}

		@Override
		public void skipped(Task task) {
			skipped.incrementAndGet();
		}

		@Override
		public void failed(Task task, int attempt, int maxAttempts, String reason, TaskLog log) {
			running.decrementAndGet();
			retries.incrementAndGet();
			lastFailure.put(task.id(), new FailedTask(task, reason, log.tail(10)));
		}

		JobProgress progress(QueueCounts counts) {
			long busy = running.get();
			return new JobProgress(total, succeeded.get(), skipped.get(), counts.dead(), busy,
				counts.waiting() + Math.max(0, counts.inFlight() - busy), retries.get(),
				Duration.ofNanos(System.nanoTime() - startNanos));
		}

		/** The dead tasks, each with the reason its last try failed. */
		List<FailedTask> failures(List<Task> dead) {
			return dead.stream()
				.map(t -> lastFailure.getOrDefault(t.id(), new FailedTask(t, "no report", List.of())))
				.toList();
		}
	}
}
