package org.parascope;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.parascope.aws.AwsClients;
import org.parascope.aws.Names;
import org.parascope.aws.SqsTaskQueue;
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
import org.parascope.store.LocalObjectStore;
import org.parascope.store.ObjectStore;
import org.parascope.submit.JobManifest;
import org.parascope.submit.Submitter;
import org.parascope.worker.DoneCheck;
import org.parascope.worker.RunnerProvider;
import org.parascope.worker.Runners;
import org.parascope.worker.Stores;
import org.parascope.worker.Worker;

/** What every face calls: the command line, the Fiji commands, the CellProfiler module. */
public final class Parascope implements AutoCloseable {

	/** Tasks go to a queue in batches of this many (SQS's SendMessageBatch limit). */
	static final int BATCH = 10;
	private static final Duration PROGRESS_EVERY = Duration.ofMillis(250);

	private final Config config;
	private final AwsClients aws;
	private final List<RunnerProvider> engines;

	/** Talks to AWS as the SDK's defaults and this process's environment say. */
	public Parascope(Config config) {
		this(config, new AwsClients(config, null, System.getenv()));
	}

	public Parascope(Config config, AwsClients aws) {
		this(config, aws, Runners.installed());
	}

	public Parascope(Config config, AwsClients aws, List<RunnerProvider> engines) {
		this.config = config;
		this.aws = aws;
		this.engines = List.copyOf(engines);
	}

	public Config config() {
		return config;
	}

	/** The AWS clients of this facade: built on first use, closed with it. */
	public AwsClients aws() {
		return aws;
	}

	/**
	 * Runs a job on this machine: {@code workers} workers take its tasks from a local queue.
	 * Scripts and inputs are read from the job file's folder; results go to {@code output}.
	 */
	public LocalRun.Result runLocal(Path jobFile, int workers, Path output, ProgressListener progress) {
		if (workers < 1) throw new ParascopeException("--workers must be at least 1, got " + workers);
		Job job = Job.read(jobFile);
		ObjectStore files = new LocalObjectStore(jobFile.toAbsolutePath().getParent());
		checkFilesExist(job, files);
		Stores stores = new Stores(files, files, new LocalObjectStore(output));
		TaskQueue queue = new LocalTaskQueue(config.integer(ConfigKey.JOB_RETRIES),
			Duration.ofSeconds(config.integer(ConfigKey.SQS_MESSAGE_VISIBILITY)));
		sendAll(job, queue);

		LocalRun run = new LocalRun(job.taskCount());
		Path scratch = tempFolder();
		Worker.Setup setup = new Worker.Setup(queue, stores, DoneCheck.of(config), run, scratch, Duration.ofMillis(200));
		JobProgress last;
		try (LocalFleet fleet = new LocalFleet(n -> new Worker("worker-" + n, new Runners(engines, config), setup))) {
			fleet.start(workers);
			while (true) {
				QueueCounts counts = queue.counts();
				last = run.progress(counts);
				progress.update(last);
				if (counts.drained()) break;
				sleep(PROGRESS_EVERY);
			}
		}
		finally {
			deleteQuietly(scratch);
		}
		return LocalRun.result(job.name(), last, run.failures(queue.deadTasks()), output, workers);
	}

	/** Sends a job's tasks in batches, streaming: a million-task job never sits in memory whole. */
	static void sendAll(Job job, TaskQueue queue) {
		List<Task> batch = new ArrayList<>(BATCH);
		job.forEachTask(task -> {
			batch.add(task);
			if (batch.size() == BATCH) {
				queue.send(batch);
				batch.clear();
			}
		});
		if (!batch.isEmpty()) queue.send(batch);
	}

	/** Before any task runs: every script, data file and input the job names must be there. */
	private static void checkFilesExist(Job job, ObjectStore files) {
		Set<String> checked = new HashSet<>();
		List<String> missing = new ArrayList<>();
		job.forEachTask(task -> {
			List<String> keys = new ArrayList<>(task.inputs());
			if (task.script() != null && checked.add(task.script())) keys.add(task.script());
			if (task.dataFile() != null && checked.add(task.dataFile())) keys.add(task.dataFile());
			for (String key : keys) {
				if (missing.size() < 10 && !files.exists(key)) missing.add(key + " (task " + task.label() + ")");
			}
		});
		if (!missing.isEmpty()) {
			throw new ParascopeException(job.file() + ": files not found in " + files.location() + ":\n  "
				+ String.join("\n  ", missing));
		}
	}

	private static Path tempFolder() {
		try {
			return Files.createTempDirectory("parascope-");
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	private static void deleteQuietly(Path dir) {
		try (var walk = Files.walk(dir)) {
			walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
		}
		catch (IOException e) {
			// A leftover temp folder is harmless; the run's outcome matters more.
		}
	}

	private static void sleep(Duration d) {
		try {
			Thread.sleep(d.toMillis());
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new ParascopeException("interrupted");
		}
	}

	/**
	 * Checks a job for sending to the config's queue, which must exist: the job file whole, the queue,
	 * and that the same content was not submitted from {@code dir} before (unless {@code force}).
	 * Sends nothing; {@link #submit} sends the plan.
	 */
	public Submitter.Plan prepareSubmit(Path jobFile, Path dir, boolean force) {
		return Submitter.plan(jobFile, JobManifest.folder(dir, Names.of(config).app()), force, () -> {
			SqsTaskQueue queue = SqsTaskQueue.open(aws, config);
			return new Submitter.Target(queue, queue.name(), queue.deadLetterName(), aws.region().id());
		});
	}

	/** Sends a checked job's tasks, {@code senders} requests at once, recording them in its manifest. */
	public Submitter.Result submit(Submitter.Plan plan, int senders, Submitter.Listener progress) {
		return Submitter.send(plan, senders, progress);
	}

	/** The config's queue counts and the jobs submitted from {@code dir}. */
	public QueueStatus status(Path dir) {
		SqsTaskQueue queue = SqsTaskQueue.open(aws, config);
		String app = Names.of(config).app();
		return new QueueStatus(app, aws.region().id(), queue.name(), queue.deadLetterName(), queue.maxReceives(),
			queue.visibility(), queue.counts(), JobManifest.all(JobManifest.folder(dir, app)));
	}

	/** The tasks in the dead-letter queue, left there. */
	public List<Task> failedTasks() {
		return SqsTaskQueue.open(aws, config).deadTasks();
	}

	/** Moves the dead-lettered tasks back to the queue, where each gets JOB_RETRIES new tries; returns them. */
	public List<Task> retryFailed() {
		return SqsTaskQueue.open(aws, config).redriveDead();
	}

	/** Closes the AWS clients this facade opened. */
	@Override
	public void close() {
		aws.close();
	}
}
