package org.parascope;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.parascope.aws.account.AccessCheck;
import org.parascope.aws.account.AccountRoles;
import org.parascope.aws.AwsClients;
import org.parascope.aws.logs.CloudWatchTaskLogs;
import org.parascope.aws.fleet.FleetStart;
import org.parascope.aws.logs.LogShipping;
import org.parascope.aws.Names;
import org.parascope.aws.store.S3ObjectStore;
import org.parascope.aws.account.Setup;
import org.parascope.aws.fleet.SpotInterruption;
import org.parascope.aws.queue.SqsTaskQueue;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;
import org.parascope.fleet.Fleet;
import org.parascope.fleet.LocalFleet;
import org.parascope.job.Job;
import org.parascope.job.make.FileListing;
import org.parascope.job.Task;
import org.parascope.machines.MachineHistory;
import org.parascope.monitor.Monitor;
import org.parascope.monitor.MonitorListener;
import org.parascope.monitor.MonitorOptions;
import org.parascope.progress.JobProgress;
import org.parascope.progress.ProgressListener;
import org.parascope.queue.LocalTaskQueue;
import org.parascope.queue.QueueCounts;
import org.parascope.queue.TaskQueue;
import org.parascope.store.KeyRule;
import org.parascope.store.LocalObjectStore;
import org.parascope.store.ObjectStore;
import org.parascope.store.TransferListener;
import org.parascope.store.Upload;
import org.parascope.submit.JobObjects;
import org.parascope.submit.JobManifest;
import org.parascope.submit.Submitter;
import org.parascope.submit.Uploads;
import org.parascope.run.DetachedMonitor;
import org.parascope.run.FleetStarted;
import org.parascope.run.RunStateStore;
import org.parascope.run.TeardownResult;
import org.parascope.report.Ec2SpotPrices;
import org.parascope.report.FiguresBuilder;
import org.parascope.report.ReportPage;
import org.parascope.report.Reports;
import org.parascope.report.RunFigures;
import org.parascope.report.RunReport;
import org.parascope.trace.FileTraceSink;
import org.parascope.trace.Machine;
import org.parascope.trace.MachineIdentity;
import org.parascope.trace.StoreTraceSink;
import org.parascope.trace.Trace;
import org.parascope.trace.TracePlace;
import org.parascope.trace.TraceWriter;
import org.parascope.watch.Cleanup;
import org.parascope.watch.DetachedMonitoring;
import org.parascope.watch.RunMonitor;
import org.parascope.worker.DoneCheck;
import org.parascope.worker.RetryBackoff;
import org.parascope.worker.RunnerProvider;
import org.parascope.worker.Runners;
import org.parascope.worker.ScriptDownload;
import org.parascope.worker.Stores;
import org.parascope.worker.Worker;
import org.parascope.worker.WorkerListener;
import org.parascope.worker.WorkerProcess;

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
		// One region for the calls and for what the settings tell others (task definition, dashboard, monitor).
		this.config = config.with(ConfigKey.AWS_REGION, aws.region().id());
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
	 * TASK_TIMEOUT applies as on AWS; a failed task is tried again at once.
	 */
	public LocalRun.Result runLocal(Path jobFile, int workers, Path output, ProgressListener progress) {
		if (workers < 1) throw new ParascopeException("--workers must be at least 1, got " + workers);
		Job job = Job.read(jobFile);
		ObjectStore files = new LocalObjectStore(jobFile.toAbsolutePath().getParent());
		checkFilesExist(job, files);
		TaskQueue queue = new LocalTaskQueue(config.integer(ConfigKey.JOB_RETRIES),
			Duration.ofSeconds(config.integer(ConfigKey.SQS_MESSAGE_VISIBILITY)));
		sendAll(job, queue);

		LocalRun run = new LocalRun(job.taskCount());
		Path scratch = scratchFolder();
		Stores stores = new Stores(files, files, new LocalObjectStore(output), scriptDownload(scratch));
		Worker.Setup setup = new Worker.Setup(queue, stores, DoneCheck.of(config), run, scratch, Duration.ofMillis(200),
			Duration.ofSeconds(config.integer(ConfigKey.TASK_TIMEOUT)), RetryBackoff.NONE);
		Path runFolder = Reports.newLocalRun(output, java.time.Instant.now());
		Path traceFile = runFolder.resolve(Reports.TRACE_FILE);
		JobProgress last;
		// Records go to the file every second: a run stopped with Ctrl-C keeps what it did.
		try (TraceWriter trace = new TraceWriter(job.name(), Machine.local(hostName()), new FileTraceSink(traceFile), 1000,
			Duration.ofSeconds(1), line -> {});
			LocalFleet fleet = new LocalFleet(n -> new Worker("worker-" + n, new Runners(engines, config), setup, trace))) {
			fleet.start(workers);
			while (true) {
				QueueCounts counts = queue.counts();
				last = run.progress(counts);
				progress.update(last);
				if (counts.drained()) break;
				Ticker.SYSTEM.sleep(PROGRESS_EVERY);
			}
		}
		finally {
			deleteQuietly(scratch);
		}
		Path report = Files.exists(traceFile) ? writeLocalReport(traceFile, job.name(), job.taskCount()) : null;
		return LocalRun.result(job.name(), last, run.failures(queue.deadTasks()), output, workers, report);
	}

	/**
	 * Writes the report of a local run beside its trace (docs/trace.md) and returns its path; {@code source}
	 * is the trace, its run's folder or a results folder (its latest run).
	 */
	public Path writeLocalReport(Path source, String title, long expectedTasks) {
		Path trace = Reports.localTrace(source);
		Path page = trace.resolveSibling(Reports.REPORT_FILE);
		Reports.write(page, ReportPage.html(localReport(trace, title, expectedTasks)));
		return page;
	}

	/** The figures of a local run's report; {@code source} as {@link #writeLocalReport}. */
	public RunFigures localReport(Path source, String title, long expectedTasks) {
		Path trace = Reports.localTrace(source);
		List<String> notes = new ArrayList<>();
		FiguresBuilder tries = Reports.readLocal(trace, notes);
		String name = title != null ? title : tries.job() != null ? tries.job() : trace.getParent().getFileName().toString();
		return RunReport.figures("Run report: " + name + " (local)", trace.toAbsolutePath().toString(), tries, expectedTasks,
			null, RunReport.Settings.of(config), Optional.empty(), RunReport.Fleet.NONE, notes);
	}

	/**
	 * The figures of an AWS run's report, from the trace its workers wrote in AWS_BUCKET: the tries that
	 * started from {@code from} on (the fleet's start, or a job's submission), priced from EC2's spot
	 * price history.
	 */
	public RunFigures cloudReport(Instant from, String what) {
		String bucket = config.string(ConfigKey.AWS_BUCKET);
		if (bucket == null) throw new ParascopeException("AWS_BUCKET is not set: the bucket that holds the run's trace");
		String app = Names.of(config).app();
		List<String> notes = new ArrayList<>();
		S3ObjectStore store = S3ObjectStore.of(aws, bucket);
		FiguresBuilder tries = Reports.readStore(store, TracePlace.prefix(app), from, notes);
		if (tries.tries() == 0) notes.add("no tries in s3://" + bucket + "/" + TracePlace.prefix(app) + " since " + from);
		List<org.parascope.machines.MachineRecord> machines = MachineHistory.since(store, app, from, notes);
		return RunReport.figures("Run report: " + app + " (" + what + ")", "s3://" + bucket + "/" + TracePlace.prefix(app)
			+ " since " + from, tries, 0, "parascope logs", RunReport.Settings.of(config),
			Optional.of(new Ec2SpotPrices(aws.ec2())), new RunReport.Fleet(machines, from), notes);
	}

	/** Stores an AWS run's report in AWS_BUCKET, next to its trace; returns its s3:// location. */
	public String storeCloudReport(RunFigures figures) {
		String bucket = config.string(ConfigKey.AWS_BUCKET);
		String key = Reports.reportKey(TracePlace.runPrefix(Names.of(config).app()), java.time.Instant.now());
		Path temp = scratchFolder().resolve(Reports.REPORT_FILE);
		try {
			Reports.write(temp, ReportPage.html(figures));
			S3ObjectStore.of(aws, bucket).put(key, temp);
		}
		finally {
			deleteQuietly(temp.getParent());
		}
		return "s3://" + bucket + "/" + key;
	}

	private static String hostName() {
		try {
			return java.net.InetAddress.getLocalHost().getHostName();
		}
		catch (IOException e) {
			return "localhost";
		}
	}

	/**
	 * A new scratch folder in the system's temporary folder for this process's workers; those that killed
	 * processes left behind are deleted first (kill -9 skips every cleanup).
	 */
	public static Path scratchFolder() {
		return LocalScratch.create(Path.of(System.getProperty("java.io.tmpdir")));
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

	private static void deleteQuietly(Path dir) {
		try (var walk = Files.walk(dir)) {
			walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
		}
		catch (IOException e) {
			// A leftover temp folder is harmless; the run's outcome matters more.
		}
	}

	/**
	 * Creates or brings up to date the app's queues, log groups, cluster, task definition and service
	 * (docs/aws.md, "Setup"); one line per resource saying what was done.
	 */
	public List<String> setup() {
		return new Setup(config, aws).run();
	}

	/** The one-time account setup: IAM roles and instance profile (docs/aws.md); one line per resource. */
	public List<String> initAccount() {
		return new AccountRoles(config, aws).create();
	}

	/** Removes what {@link #initAccount()} created, and only that; one line per resource. */
	public List<String> destroyAccountSetup() {
		return new AccountRoles(config, aws).destroy();
	}

	/**
	 * Hands every line of one task's log to {@code line}, oldest first: what workers shipped to
	 * CloudWatch Logs (LOG_GROUP_NAME, one stream per task, see {@link CloudWatchTaskLogs}).
	 * {@code task} is the task's label or its beginning. Returns the stream's name.
	 */
	public String taskLog(String task, Consumer<String> line) {
		CloudWatchTaskLogs logs = new CloudWatchTaskLogs(aws.logs(), Names.of(config).logGroup());
		String stream = logs.find(task);
		logs.read(stream, line);
		return stream;
	}

	/**
	 * Starts the machines that work the queue (start-fleet): a Spot Fleet from a DCP/DF fleet file, or
	 * an EC2 Fleet from the config alone (fleetFile null); scales the ECS service, waits for the
	 * machines up to {@code wait}, and writes the state file under {@code dir}. Nothing is left
	 * behind when it fails. See {@link FleetStart}.
	 */
	public FleetStarted startFleet(Path fleetFile, Path dir, Duration wait, Consumer<String> status) {
		FleetStart.Result r = FleetStart.run(config, aws, fleetFile, dir, wait, status);
		return new FleetStarted(r.fleetId(), new FleetStarted.Kind(r.kind().key(), r.kind().toString()), r.state(),
			r.stateFile(), r.dashboard(), r.warnings());
	}

	/**
	 * Watches a run until it is torn down: progress to {@code listener}, the fleet lowered as work runs
	 * out, then the teardown. {@code stateLocation} is the state file start-fleet wrote, or the s3://
	 * copy a detached monitor works on. See {@link RunMonitor}.
	 */
	public Monitor.Outcome monitor(String stateLocation, MonitorOptions options, MonitorListener listener) {
		RunMonitor monitor = runMonitor();
		return monitor.monitor(monitor.store(stateLocation), options, listener, Ticker.SYSTEM);
	}

	/** The monitor of a state file on AWS, on the given clock. */
	Monitor.Outcome monitor(RunStateStore store, MonitorOptions options, MonitorListener listener, Ticker ticker) {
		return runMonitor().monitor(store, options, listener, ticker);
	}

	/** The monitor on given parts; its teardown is the AWS one. */
	Monitor.Outcome monitor(RunStateStore store, MonitorOptions options, MonitorListener listener, TaskQueue queue,
		Fleet fleet, Ticker ticker) {
		return runMonitor().monitor(store, options, listener, queue::counts, fleet, ticker);
	}

	private RunMonitor runMonitor() {
		return new RunMonitor(config, aws,
			state -> storeCloudReport(cloudReport(state.startTime(), "fleet " + state.fleetId())));
	}

	/**
	 * Follows the detached monitor of a run from its state in S3 until it has torn the run down; see
	 * {@link DetachedMonitoring#follow}.
	 */
	public Monitor.Outcome followMonitor(Path stateFile, Duration interval, MonitorListener listener) {
		return new DetachedMonitoring(config, aws).follow(stateFile, interval, listener);
	}

	/**
	 * Whether a detached monitor took this run over (start-fleet with AUTO_MONITOR, or monitor --detach):
	 * then {@link #followMonitor} follows it, and {@link #monitor} refuses to compete with it.
	 */
	public boolean hasDetachedMonitor(Path stateFile) {
		return new DetachedMonitoring(config, aws).has(stateFile);
	}

	/**
	 * Starts the monitor as an ECS service of one Fargate task, on a copy of the state file in S3; the local
	 * state file records it. See {@link DetachedMonitoring#detach}.
	 */
	public DetachedMonitor detachMonitor(Path stateFile, MonitorOptions options, List<String> subnets,
		Consumer<String> report) {
		return new DetachedMonitoring(config, aws).detach(stateFile, options, subnets, report);
	}

	/**
	 * Tears a run down now (idempotent): the state file's resources, or without one the config's.
	 * A complete teardown is recorded in the state file and its S3 copy, which ends any monitor.
	 */
	public TeardownResult cleanup(Optional<Path> stateFile, Consumer<String> report) {
		return new Cleanup(config, aws).run(stateFile, report);
	}

	/**
	 * Checks a job for sending to the config's queue, which must exist: the job file whole, the queue,
	 * and that the same content was not submitted from {@code dir} before (unless {@code force}).
	 * Sends nothing; {@link #submit} sends the plan.
	 */
	public Submitter.Plan prepareSubmit(Path jobFile, Path dir, boolean force) {
		return prepareSubmit(jobFile, dir, force ? Submitter.Mode.FORCE : Submitter.Mode.NEW);
	}

	/** As {@link #prepareSubmit(Path, Path, boolean)}; {@code RESUME} plans the tasks an earlier submit did not get confirmed. */
	public Submitter.Plan prepareSubmit(Path jobFile, Path dir, Submitter.Mode mode) {
		return Submitter.plan(jobFile, JobManifest.folder(dir, Names.of(config).app()), mode, () -> {
			SqsTaskQueue queue = SqsTaskQueue.open(aws, config);
			return new Submitter.Target(queue, queue.name(), queue.deadLetterName(), aws.region().id());
		});
	}

	/**
	 * What a submit cannot see in the job file: that the config's buckets are there and hold the
	 * job's pipelines, scripts, data files and inputs. Reads only; every problem, empty when none.
	 */
	public List<String> checkJobObjects(Job job) {
		List<String> problems = new ArrayList<>();
		ObjectStore[] stores = new ObjectStore[3];
		ConfigKey[] keys = { ConfigKey.WORKSPACE_BUCKET, ConfigKey.SOURCE_BUCKET, ConfigKey.DESTINATION_BUCKET };
		for (int i = 0; i < keys.length; i++) {
			String bucket = config.string(keys[i]);
			if (bucket == null) problems.add(keys[i] + " (or AWS_BUCKET) is not set: the bucket workers use");
			// Reads only: the S3 client alone, not the transfer manager.
			else stores[i] = new S3ObjectStore(aws.s3(), null, bucketName(bucket), bucketPrefix(bucket));
		}
		if (!problems.isEmpty()) return problems;
		return JobObjects.check(job, stores[0], stores[1], stores[2]);
	}

	/** The objects below an {@code s3://BUCKET/PREFIX} location whose paths below it match {@code glob}: a job's files. */
	public FileListing listFiles(String location, String glob) {
		String prefix = bucketPrefix(location);
		if (!prefix.isEmpty() && !prefix.endsWith("/")) prefix += "/";
		return FileListing.ofStore(new S3ObjectStore(aws.s3(), null, bucketName(location), ""), prefix, glob);
	}

	private static String bucketName(String location) {
		String rest = location.startsWith("s3://") ? location.substring(5) : location;
		return rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
	}

	private static String bucketPrefix(String location) {
		String rest = location.startsWith("s3://") ? location.substring(5) : location;
		return rest.contains("/") ? rest.substring(rest.indexOf('/') + 1) : "";
	}

	/** Sends a checked job's tasks, {@code senders} requests at once, recording them in its manifest. */
	public Submitter.Result submit(Submitter.Plan plan, int senders, Submitter.Listener progress) {
		return Submitter.send(plan, senders, progress);
	}

	/**
	 * Stores a job's files in the config's buckets (pipelines and data files in WORKSPACE_BUCKET, images in
	 * SOURCE_BUCKET), skipping those already there with the same size and SHA-256.
	 */
	public void upload(Uploads uploads, TransferListener listener) {
		upload(ConfigKey.WORKSPACE_BUCKET, uploads.workspace(), listener);
		upload(ConfigKey.SOURCE_BUCKET, uploads.source(), listener);
	}

	/** The config's queue counts and the jobs submitted from {@code dir}. */
	public QueueStatus status(Path dir) {
		SqsTaskQueue queue = SqsTaskQueue.open(aws, config);
		String app = Names.of(config).app();
		return new QueueStatus(app, aws.region().id(), queue.name(), queue.deadLetterName(), queue.maxReceives(),
			queue.visibility(), queue.counts(), JobManifest.all(JobManifest.folder(dir, app)),
			new DetachedMonitoring(config, aws).of(Names.of(config).stateFile(dir)));
	}

	/** The tasks in the dead-letter queue, left there. */
	public List<Task> failedTasks() {
		return SqsTaskQueue.open(aws, config).deadTasks();
	}

	/** As {@link #failedTasks()}; each message there that is not a task is told to {@code notes}. */
	public List<Task> failedTasks(Consumer<String> notes) {
		return SqsTaskQueue.open(aws, config).reportingTo(notes).deadTasks();
	}

	/** Moves the dead-lettered tasks back to the queue, where each gets JOB_RETRIES new tries; returns them. */
	public List<Task> retryFailed() {
		return SqsTaskQueue.open(aws, config).redriveDead();
	}

	/** As {@link #retryFailed()}; each message moved that is not a task is told to {@code notes}. */
	public List<Task> retryFailed(Consumer<String> notes) {
		return SqsTaskQueue.open(aws, config).reportingTo(notes).redriveDead();
	}

	/**
	 * A worker as it runs in a container on the fleet: tasks from the config's SQS queue, files from
	 * and results to its S3 buckets (uploads with UPLOAD_FLAGS), every task's log to CloudWatch Logs
	 * (LOG_GROUP_NAME); TASK_TIMEOUT and RETRY_DELAY apply.
	 */
	public Worker cloudWorker(String name, WorkerListener listener, Path scratch) {
		return new Worker(name, new Runners(engines, config), cloudSetup(listener, scratch));
	}

	/**
	 * What {@code parascope worker} runs: {@code options.workers()} cloud workers, their task folders
	 * below {@code scratch}, watching for spot interruption notices unless AWS_EC2_METADATA_DISABLED.
	 * Everything is checked (queues, buckets named, UPLOAD_FLAGS) and every engine prepared (CellProfiler's
	 * plugins) before a worker starts.
	 */
	public WorkerProcess workerProcess(WorkerProcess.Options options, Path scratch, WorkerListener listener) {
		Worker.Setup setup = cloudSetup(listener, scratch);
		try {
			for (RunnerProvider engine : engines) engine.prepare(config, listener::note);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new ParascopeException("stopped while the worker was being prepared");
		}
		Optional<Supplier<Optional<String>>> spot = aws.metadataEndpoint()
			.map(endpoint -> new SpotInterruption(endpoint, listener::note));
		Trace trace = cloudTrace(listener);
		return new WorkerProcess(n -> new Worker("worker-" + n, new Runners(engines, config), setup, trace), options, spot,
			listener::note).closing(trace);
	}

	/** The worker process's trace: batches of records in AWS_BUCKET (docs/trace.md), unless TRACE_SECONDS is 0. */
	private Trace cloudTrace(WorkerListener listener) {
		int seconds = config.integer(ConfigKey.TRACE_SECONDS);
		String bucket = config.has(ConfigKey.AWS_BUCKET) ? config.string(ConfigKey.AWS_BUCKET) : null;
		if (seconds <= 0 || bucket == null) {
			listener.note("trace: off (" + (seconds <= 0 ? "TRACE_SECONDS is 0" : "AWS_BUCKET is not set") + ")");
			return Trace.NONE;
		}
		Machine machine = MachineIdentity.detect(aws.metadataEndpoint(), System.getenv());
		StoreTraceSink sink = new StoreTraceSink(S3ObjectStore.of(aws, bucket), TracePlace.prefix(Names.of(config).app()), machine);
		listener.note("trace: " + sink.location() + " (every " + seconds + " s or " + TRACE_RECORDS + " records; machine "
			+ machine.machine() + (machine.instanceType() == null ? "" : ", " + machine.instanceType())
			+ (machine.zone() == null ? "" : ", " + machine.zone()) + ")");
		return new TraceWriter(Names.of(config).app(), machine, sink, TRACE_RECORDS, Duration.ofSeconds(seconds), listener::note);
	}

	/** Records per trace batch at most: a batch object stays small. */
	private static final int TRACE_RECORDS = 500;

	private Worker.Setup cloudSetup(WorkerListener listener, Path scratch) {
		S3ObjectStore destination = bucket(ConfigKey.DESTINATION_BUCKET).withUploadFlags(config.string(ConfigKey.UPLOAD_FLAGS));
		Stores stores = new Stores(bucket(ConfigKey.SOURCE_BUCKET), bucket(ConfigKey.WORKSPACE_BUCKET), destination,
			scriptDownload(scratch));
		WorkerListener shipping = new LogShipping(new CloudWatchTaskLogs(aws.logs(), Names.of(config).logGroup()), listener);
		// 5 s long polls: few requests on an empty queue, and a stopping worker is not kept waiting long.
		return new Worker.Setup(SqsTaskQueue.open(aws, config).reportingTo(listener::note), stores, DoneCheck.of(config),
			shipping, scratch, Duration.ofSeconds(5), Duration.ofSeconds(config.integer(ConfigKey.TASK_TIMEOUT)),
			RetryBackoff.from(Duration.ofSeconds(config.integer(ConfigKey.RETRY_DELAY))));
	}

	/** SCRIPT_DOWNLOAD_URL's script, kept in {@code scratch} once fetched; null when not configured. */
	private ScriptDownload scriptDownload(Path scratch) {
		return ScriptDownload.of(config, location -> S3ObjectStore.of(aws, location), scratch.resolve("downloaded-script"));
	}

	private S3ObjectStore bucket(ConfigKey key) {
		String bucket = config.string(key);
		if (bucket == null) throw new ParascopeException(key + " (or AWS_BUCKET) is not set: the bucket workers use");
		return S3ObjectStore.of(aws, bucket);
	}

	/** What the config's credentials may do, one plain line each; changes nothing (see {@link AccessCheck}). */
	public List<AccessCheck.Finding> checkAccess() {
		return AccessCheck.run(config, aws);
	}

	/**
	 * Stores files (object key -> file) in the bucket of {@code bucket} (SOURCE_BUCKET, WORKSPACE_BUCKET, ...),
	 * skipping those already there with the same size and SHA-256.
	 */
	public Upload.Result upload(ConfigKey bucket, Map<String, Path> files, TransferListener listener) {
		return Upload.missing(bucket(bucket), files, listener);
	}

	/**
	 * Fetches every object under {@code prefix} in DESTINATION_BUCKET into {@code folder}, each at its key
	 * below the prefix; returns the keys.
	 */
	public List<String> download(String prefix, Path folder, TransferListener listener) {
		ObjectStore results = bucket(ConfigKey.DESTINATION_BUCKET);
		String under = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
		Map<String, Path> objects = new LinkedHashMap<>();
		try (var listing = results.list(under)) {
			listing.forEach(o -> objects.put(o.key(),
				KeyRule.resolve(folder, o.key().substring(under.length()), "object key below " + prefix + ":")));
		}
		results.getAll(objects, listener);
		return List.copyOf(objects.keySet());
	}

	/** Closes the AWS clients this facade opened. */
	@Override
	public void close() {
		aws.close();
	}
}
