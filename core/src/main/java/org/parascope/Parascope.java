package org.parascope;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.parascope.aws.AwsClients;
import org.parascope.aws.Names;
import org.parascope.aws.account.AccessCheck;
import org.parascope.aws.account.AccountRoles;
import org.parascope.aws.account.Setup;
import org.parascope.aws.logs.CloudWatchTaskLogs;
import org.parascope.aws.queue.SqsTaskQueue;
import org.parascope.aws.run.FleetStart;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;
import org.parascope.fleet.Fleet;
import org.parascope.job.Job;
import org.parascope.job.Task;
import org.parascope.job.make.FileListing;
import org.parascope.monitor.Monitor;
import org.parascope.monitor.MonitorListener;
import org.parascope.monitor.MonitorOptions;
import org.parascope.progress.ProgressListener;
import org.parascope.queue.TaskQueue;
import org.parascope.report.RunFigures;
import org.parascope.run.DetachedMonitor;
import org.parascope.run.FleetStarted;
import org.parascope.run.RunStateStore;
import org.parascope.run.TeardownResult;
import org.parascope.store.LocalObjectStore;
import org.parascope.store.TransferListener;
import org.parascope.store.Upload;
import org.parascope.submit.JobManifest;
import org.parascope.submit.Submitter;
import org.parascope.submit.Uploads;
import org.parascope.watch.Cleanup;
import org.parascope.watch.DetachedMonitoring;
import org.parascope.watch.RunMonitor;
import org.parascope.worker.RunnerProvider;
import org.parascope.worker.Runners;
import org.parascope.worker.Stores;
import org.parascope.worker.Worker;
import org.parascope.worker.WorkerListener;
import org.parascope.worker.WorkerProcess;

/** What every face calls: the command line, the Fiji commands, the CellProfiler module. */
public final class Parascope implements AutoCloseable {

	private final Config config;
	private final AwsClients aws;
	private final List<RunnerProvider> engines;

	/** Talks to AWS as the SDK's defaults and this process's environment say. */
	public Parascope(Config config) {
		this(config, new AwsClients(config, null, System.getenv()));
	}

	/**
	 * Talks to AWS in {@code region} and at {@code endpoint} when given (the --region and --endpoint-url
	 * options, else null), else as the environment {@code env} and the shared files say. Checks the
	 * endpoints and the region before anything runs; clients are built on first use.
	 */
	public Parascope(Config config, String region, URI endpoint, Map<String, String> env) {
		this(config, new AwsClients(config, region, endpoint, env));
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

	/** The AWS clients of this facade: built on first use, closed with it. Faces use the methods below instead. */
	public AwsClients aws() {
		return aws;
	}

	/** The AWS region every call goes to, e.g. eu-west-1. */
	public String region() {
		return aws.region().id();
	}

	/** The region and where it came from, for the line a command prints: "eu-west-1 (from AWS_DEFAULT_REGION)". */
	public String regionChoice() {
		return aws.regionChoice().toString();
	}

	/** Whether the SDK's credential chain finds credentials; asks nothing of AWS. */
	public boolean hasCredentials() {
		return aws.hasCredentials();
	}

	/** Keeps S3 transfers working through the JVM's shutdown until the returned action runs (a worker's SIGTERM). */
	public Runnable holdTransfersThroughShutdown() {
		return aws.holdTransfersThroughShutdown();
	}

	/** APP_NAME, which names the app's AWS resources and its records in files/. */
	public String app() {
		return Names.of(config).app();
	}

	/** Where start-fleet writes a run's state below {@code dir}, and monitor, cleanup and report read it: DCP's monitor file. */
	public static Path stateFile(Config config, Path dir) {
		return Names.of(config).stateFile(dir);
	}

	/**
	 * Runs a job on this machine: {@code workers} workers take its tasks from a local queue.
	 * Scripts and inputs are read from the job file's folder; results go to {@code output}.
	 * TASK_TIMEOUT applies as on AWS; a failed task is tried again at once. See {@link LocalRun}.
	 */
	public LocalRun.Result runLocal(Path jobFile, int workers, Path output, ProgressListener progress) {
		return new LocalRun(config, engines, buckets()::at).run(jobFile, workers, output, progress);
	}

	/**
	 * Links {@code files} (key to file) below {@code folder} at their keys, where {@link #runLocal} reads a job's
	 * scripts and inputs when the job file is in {@code folder}; keys must stay below it (docs/security.md).
	 */
	public static void stageLocally(Path folder, Map<String, Path> files) {
		new LocalObjectStore(folder).linkAll(files);
	}

	/**
	 * Writes the report of a local run beside its trace (docs/trace.md) and returns its path; {@code source}
	 * is the trace, its run's folder or a results folder (its latest run).
	 */
	public Path writeLocalReport(Path source, String title, long expectedTasks) {
		return RunReports.writeLocal(config, source, title, expectedTasks);
	}

	/** The figures of a local run's report; {@code source} as {@link #writeLocalReport}. */
	public RunFigures localReport(Path source, String title, long expectedTasks) {
		return RunReports.local(config, source, title, expectedTasks);
	}

	/**
	 * The figures of an AWS run's report, from the trace its workers wrote in AWS_BUCKET: the tries that
	 * started from {@code from} on (the fleet's start, or a job's submission), priced from EC2's spot
	 * price history.
	 */
	public RunFigures cloudReport(Instant from, String what) {
		return reports().cloud(from, what);
	}

	/** As {@link #cloudReport}: the report of the fleet's run whose state file start-fleet wrote. */
	public RunFigures fleetReport(Path stateFile) {
		return reports().fleet(stateFile);
	}

	/** Stores an AWS run's report in AWS_BUCKET, next to its trace; returns its s3:// location. */
	public String storeCloudReport(RunFigures figures) {
		return reports().store(figures);
	}

	private RunReports reports() {
		return new RunReports(config, aws);
	}

	/**
	 * A new scratch folder in the system's temporary folder for this process's workers; those that killed
	 * processes left behind are deleted first (kill -9 skips every cleanup).
	 */
	public static Path scratchFolder() {
		return LocalScratch.inTemp();
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
		return buckets().checkJobObjects(job);
	}

	/** The objects below an {@code s3://BUCKET/PREFIX} location whose paths below it match {@code glob}: a job's files. */
	public FileListing listFiles(String location, String glob) {
		return buckets().listFiles(location, glob);
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
		return new CloudWorkers(config, aws, engines).worker(name, listener, scratch);
	}

	/**
	 * What {@code parascope worker} runs: {@code options.workers()} cloud workers, their task folders
	 * below {@code scratch}, watching for spot interruption notices unless AWS_EC2_METADATA_DISABLED.
	 * Everything is checked (queues, buckets named, UPLOAD_FLAGS) and every engine prepared (CellProfiler's
	 * plugins) before a worker starts.
	 */
	public WorkerProcess workerProcess(WorkerProcess.Options options, Path scratch, WorkerListener listener) {
		return new CloudWorkers(config, aws, engines).process(options, scratch, listener);
	}

	/** What the config's credentials may do, one plain line each; changes nothing (see {@link AccessCheck}). */
	public List<AccessFinding> checkAccess() {
		return AccessCheck.run(config, aws);
	}

	/**
	 * Stores files (object key -> file) in the bucket of {@code bucket} (SOURCE_BUCKET, WORKSPACE_BUCKET, ...),
	 * skipping those already there with the same size and SHA-256.
	 */
	public Upload.Result upload(ConfigKey bucket, Map<String, Path> files, TransferListener listener) {
		return buckets().upload(bucket, files, listener);
	}

	/**
	 * Fetches every object under {@code prefix} in DESTINATION_BUCKET into {@code folder}, each at its key
	 * below the prefix; returns the keys.
	 */
	public List<String> download(String prefix, Path folder, TransferListener listener) {
		return buckets().download(prefix, folder, listener);
	}

	private Buckets buckets() {
		return new Buckets(config, aws);
	}

	/** Closes the AWS clients this facade opened. */
	@Override
	public void close() {
		aws.close();
	}
}
