package org.parascope;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.parascope.aws.AccessCheck;
import org.parascope.aws.AccountRoles;
import org.parascope.aws.AwsClients;
import org.parascope.aws.AwsErrors;
import org.parascope.aws.AwsFleet;
import org.parascope.aws.CloudWatchTaskLogs;
import org.parascope.aws.FleetMachines;
import org.parascope.aws.FleetStart;
import org.parascope.aws.FleetStateKeys;
import org.parascope.aws.MonitorService;
import org.parascope.aws.MonitorTask;
import org.parascope.aws.Names;
import org.parascope.aws.S3ObjectStore;
import org.parascope.aws.Setup;
import org.parascope.aws.SqsTaskQueue;
import org.parascope.aws.StateFile;
import org.parascope.aws.Teardown;
import org.parascope.aws.TeardownPlan;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;
import org.parascope.fleet.Fleet;
import org.parascope.job.Job;
import org.parascope.job.make.FileListing;
import org.parascope.job.Task;
import org.parascope.machines.MachineLog;
import org.parascope.monitor.Monitor;
import org.parascope.monitor.MonitorListener;
import org.parascope.monitor.MonitorOptions;
import org.parascope.monitor.RecordedReading;
import org.parascope.monitor.StateKeys;
import org.parascope.monitor.StateStore;
import org.parascope.progress.ProgressListener;
import org.parascope.queue.QueueCounts;
import org.parascope.queue.TaskQueue;
import org.parascope.store.TransferListener;
import org.parascope.store.Upload;
import org.parascope.submit.JobManifest;
import org.parascope.submit.Submitter;
import org.parascope.submit.Uploads;
import org.parascope.report.RunFigures;
import org.parascope.worker.RunnerProvider;
import org.parascope.worker.Runners;
import org.parascope.worker.Stores;
import org.parascope.worker.Worker;
import org.parascope.worker.WorkerListener;
import org.parascope.worker.WorkerProcess;

import software.amazon.awssdk.core.exception.SdkException;

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
		return LocalScratch.create(Path.of(System.getProperty("java.io.tmpdir")));
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
	public FleetStart.Result startFleet(Path fleetFile, Path dir, Duration wait, Consumer<String> status) {
		return FleetStart.run(config, aws, fleetFile, dir, wait, status);
	}

	/**
	 * Watches a run until it is torn down: progress to {@code listener}, the fleet lowered as work runs
	 * out, then the teardown. {@code stateLocation} is the state file start-fleet wrote, or the s3://
	 * copy a detached monitor works on.
	 */
	public Monitor.Outcome monitor(String stateLocation, MonitorOptions options, MonitorListener listener) {
		return monitor(stateStore(stateLocation), options, listener, Ticker.SYSTEM);
	}

	/**
	 * The monitor of a state file on AWS, on the given clock. The detached monitor (on the S3 copy) deletes
	 * its own ECS service last, once the run is torn down: ECS would otherwise start it again.
	 */
	Monitor.Outcome monitor(StateStore store, MonitorOptions options, MonitorListener listener, Ticker ticker) {
		Monitor.Outcome outcome = watch(store, options, listener, ticker);
		if (StateStore.isS3(store.location()) && outcome.ending() != Monitor.Ending.STOPPED) removeOwnService(store, listener);
		return outcome;
	}

	private void removeOwnService(StateStore store, MonitorListener listener) {
		String name = "of this run";
		try {
			StateFile state = store.read();
			name = state.extra().getOrDefault(StateKeys.DETACHED_SERVICE, MonitorService.name(state.app(), state.fleetId()));
			if (new MonitorService(aws).delete(name)) {
				listener.note("deleted: monitor service " + name + " (this monitor: ECS stops its container now)");
			}
		}
		catch (SdkException | ParascopeException e) {
			listener.note("failed: deleting monitor service " + name + ": " + AwsErrors.explain(e) + " (ECS starts this "
				+ "monitor again, which tries again; 'parascope cleanup' deletes it)");
		}
	}

	private Monitor.Outcome watch(StateStore store, MonitorOptions options, MonitorListener listener, Ticker ticker) {
		StateFile state = Monitor.readState(store, listener, ticker);
		Optional<Monitor.Outcome> finished = Monitor.ifTornDown(store, state, listener);
		if (finished.isPresent()) return finished.get();
		if (!StateStore.isS3(store.location()) && state.extra().containsKey(StateKeys.DETACHED_STATE)) {
			return followDetached(store, state, listener);
		}
		// The queue is looked up at the first reading, so that weather then is waited out like any other.
		Supplier<QueueCounts> counts = new Supplier<>() {
			private TaskQueue queue;

			@Override
			public QueueCounts get() {
				if (queue == null) queue = monitoredQueue(state);
				return queue.counts();
			}
		};
		Fleet fleet = AwsFleet.alarmed(aws, state, listener::note);
		Optional<FleetMachines> machines = recordMachines(state, fleet, ticker, listener::note);
		return monitor(store, options, listener, counts, machines.<Fleet>map(m -> m).orElse(fleet), ticker,
			() -> machines.ifPresent(FleetMachines::gone));
	}

	/**
	 * With AWS_BUCKET set, the fleet's machines are recorded there as the monitor sees them, for the report
	 * to price their lifetimes (docs/trace.md, "Machines"); a record that cannot be read is said and begun anew.
	 */
	private Optional<FleetMachines> recordMachines(StateFile state, Fleet fleet, Ticker ticker, Consumer<String> note) {
		String bucket = config.string(ConfigKey.AWS_BUCKET);
		if (bucket == null) return Optional.empty();
		List<String> problems = new ArrayList<>();
		MachineLog log;
		try {
			log = MachineLog.open(S3ObjectStore.of(aws, bucket), Names.of(config).app(), state.fleetId(), problems);
		}
		catch (RuntimeException e) {
			note.accept("machines: not recorded (" + e.getMessage() + "); the report prices the machines the trace names");
			return Optional.empty();
		}
		problems.forEach(p -> note.accept("machines: " + p));
		return Optional.of(new FleetMachines(aws, state, fleet, log, ticker, note));
	}

	/** The monitor on given parts; its teardown is the AWS one. */
	Monitor.Outcome monitor(StateStore store, MonitorOptions options, MonitorListener listener, TaskQueue queue,
		Fleet fleet, Ticker ticker) {
		return monitor(store, options, listener, queue::counts, fleet, ticker);
	}

	Monitor.Outcome monitor(StateStore store, MonitorOptions options, MonitorListener listener,
		Supplier<QueueCounts> queue, Fleet fleet, Ticker ticker) {
		return monitor(store, options, listener, queue, fleet, ticker, () -> {});
	}

	/** @param fleetGone told once the teardown has ended the fleet, before the report is made */
	private Monitor.Outcome monitor(StateStore store, MonitorOptions options, MonitorListener listener,
		Supplier<QueueCounts> queue, Fleet fleet, Ticker ticker, Runnable fleetGone) {
		// A monitor on the S3 copy is the detached one, which must not delete its own service halfway.
		boolean detached = StateStore.isS3(store.location());
		Runnable teardown = () -> {
			StateFile state = store.read();
			requireComplete(new Teardown(aws, TeardownPlan.of(config, Optional.of(state)), listener::note,
				Teardown.Waits.DEFAULT, ticker, detached).run());
			fleetGone.run();
			reportAfterTeardown(state, listener::note);
		};
		return new Monitor(queue, fleet, store, options, listener, teardown, ticker).run();
	}

	/**
	 * Once the workers are gone (their last trace batches written), the run's report goes into AWS_BUCKET
	 * and its location is said. A report that cannot be made does not fail the teardown.
	 */
	private void reportAfterTeardown(StateFile state, Consumer<String> note) {
		if (config.string(ConfigKey.AWS_BUCKET) == null) return;
		try {
			note.accept("report: " + storeCloudReport(cloudReport(state.startTime(), "fleet " + state.fleetId())));
		}
		catch (RuntimeException e) {
			note.accept("report: not written (" + e.getMessage() + "); 'parascope report' makes it from the trace");
		}
	}

	/** A detached monitor owns the run: this one only reports what it did, or refuses to compete. */
	private Monitor.Outcome followDetached(StateStore local, StateFile state, MonitorListener listener) {
		String remote = state.extra().get(StateKeys.DETACHED_STATE);
		StateFile current = stateStore(remote).read();
		if (!Monitor.isTornDown(current)) {
			throw new ParascopeException(local.location() + ": this run is watched by the detached monitor (ECS service "
				+ state.extra().get(StateKeys.DETACHED_SERVICE) + ", state " + remote + "); 'parascope monitor --follow' "
				+ "follows it, 'parascope cleanup' tears it down now");
		}
		local.write(state.with(StateKeys.TEARDOWN, StateKeys.DONE_VALUE)
			.with(StateKeys.TEARDOWN_AT, current.extra().getOrDefault(StateKeys.TEARDOWN_AT,
				Long.toString(System.currentTimeMillis()))));
		listener.note("the detached monitor tore this run down (" + remote + ")");
		return new Monitor.Outcome(Monitor.Ending.ALREADY_TORN_DOWN, Optional.empty());
	}

	/**
	 * Follows the detached monitor of a run from its state in S3: one note per reading it records
	 * (tasks done, machines, cost so far), until it has torn the run down. Stops (outcome STOPPED) when
	 * its ECS service is gone with the run not torn down, or when interrupted.
	 */
	public Monitor.Outcome followMonitor(Path stateFile, Duration interval, MonitorListener listener) {
		StateStore local = StateStore.local(stateFile);
		StateFile state = local.read();
		Optional<Monitor.Outcome> finished = Monitor.ifTornDown(local, state, listener);
		if (finished.isPresent()) return finished.get();
		String remote = state.extra().get(StateKeys.DETACHED_STATE);
		String service = state.extra().get(StateKeys.DETACHED_SERVICE);
		if (remote == null || service == null) {
			throw new ParascopeException(stateFile + ": no detached monitor watches this run; 'parascope monitor' watches "
				+ "it from here, 'parascope monitor --detach' hands it to one");
		}
		listener.note("following the detached monitor: ECS service " + service + " (cluster " + MonitorTask.CLUSTER
			+ "; ECS replaces its container if it dies), state " + remote + ", log group " + state.logGroup()
			+ " (streams monitor/...)");
		String seen = null;
		while (true) {
			StateFile current = Monitor.readState(stateStore(remote), listener, Ticker.SYSTEM);
			Map<String, String> m = current.extra();
			String at = m.get(StateKeys.LAST_READING);
			if (at != null && !at.equals(seen)) {
				seen = at;
				RecordedReading.of(current).ifPresent(listener::reading);
				double hours = Double.parseDouble(m.getOrDefault(StateKeys.MACHINE_HOURS, "0"));
				listener.note(java.time.LocalTime.ofInstant(java.time.Instant.ofEpochMilli(Long.parseLong(at)),
					java.time.ZoneId.systemDefault()).withNano(0) + "  " + m.get(StateKeys.DONE) + "/" + m.get(StateKeys.TASKS)
					+ " done | fleet " + m.get(StateKeys.LAST_MACHINES) + " machines | cost so far <= $"
					+ String.format("%.2f", hours * config.decimal(ConfigKey.MACHINE_PRICE)) + " (the detached monitor's reading)");
			}
			// After its last reading, which says how the run ended.
			if (Monitor.isTornDown(current)) return followDetached(local, state, listener);
			if (monitorService(service).filter(MonitorService.State::active).isEmpty()) {
				// The monitor deletes its service only after recording the teardown: read the state once more.
				if (Monitor.isTornDown(Monitor.readState(stateStore(remote), listener, Ticker.SYSTEM))) {
					return followDetached(local, state, listener);
				}
				String why = "the detached monitor's ECS service " + service + " is gone, and the run is not torn down";
				listener.note(why + ": 'parascope monitor --detach' starts another, which carries on from " + remote);
				return new Monitor.Outcome(Monitor.Ending.STOPPED, Optional.empty(), Optional.of(why), Optional.empty());
			}
			try {
				Ticker.SYSTEM.sleep(interval);
			}
			catch (Ticker.Interrupted e) {
				return new Monitor.Outcome(Monitor.Ending.STOPPED, Optional.empty(), Optional.of("told to stop following"),
					Optional.empty());
			}
		}
	}

	/**
	 * Whether a detached monitor took this run over (start-fleet with AUTO_MONITOR, or monitor --detach):
	 * then {@link #followMonitor} follows it, and {@link #monitor} refuses to compete with it.
	 */
	public boolean hasDetachedMonitor(Path stateFile) {
		return StateStore.local(stateFile).read().extra().containsKey(StateKeys.DETACHED_STATE);
	}

	/**
	 * Starts the monitor as an ECS service of one Fargate task, on a copy of the state file in S3 (a copy
	 * left by an earlier detached monitor of this run is continued; one of an earlier run is replaced). Returns the service; the local state file records
	 * it, and if that cannot be written the service is deleted again.
	 */
	public MonitorTask.Started detachMonitor(Path stateFile, MonitorOptions options, List<String> subnets,
		Consumer<String> report) {
		StateStore local = StateStore.local(stateFile);
		StateFile state = local.read();
		config.string(ConfigKey.DOCKERHUB_TAG); // the monitor's image: checked before anything changes
		if (Monitor.isTornDown(state)) throw new ParascopeException(stateFile + ": this run was already torn down");
		String service = MonitorService.name(state.app(), state.fleetId());
		String location = MonitorTask.stateLocation(state, stateFile.getFileName().toString());
		Optional<MonitorService.State> running = monitorService(service).filter(MonitorService.State::active);
		if (running.isPresent()) {
			local.write(state.with(StateKeys.DETACHED_STATE, location).with(StateKeys.DETACHED_SERVICE, service));
			report.accept("already detached: ECS service " + service + " monitors this run");
			return new MonitorTask.Started(service, location);
		}
		StateStore remote = stateStore(location);
		// The copy's key is the state file's name, the same for every run of the app: continue only this run's.
		Optional<StateFile> earlier = remote.exists() ? Optional.of(remote.read()) : Optional.empty();
		StateFile shared = earlier.filter(e -> e.fleetId().equals(state.fleetId()) && !Monitor.isTornDown(e)).orElse(state)
			.with(StateKeys.DETACHED_STATE, location).with(StateKeys.DETACHED_SERVICE, service);
		remote.write(shared);
		List<String> args = new ArrayList<>(List.of("--interval", Long.toString(options.interval().toSeconds())));
		if (options.cheapest()) args.add("--cheapest");
		MonitorTask.Started started;
		try {
			started = new MonitorTask(aws, config, Ticker.SYSTEM).start(shared, location, args, subnets);
		}
		catch (SdkException e) {
			throw AwsErrors.failure("starting the detached monitor", e);
		}
		try {
			local.write(state.with(StateKeys.DETACHED_STATE, location).with(StateKeys.DETACHED_SERVICE, started.service()));
		}
		catch (RuntimeException e) {
			// Undone: a monitor the state file does not name would be found only by a cleanup without it.
			new MonitorService(aws).delete(started.service());
			throw new ParascopeException(stateFile + ": the detached monitor's service " + started.service() + " was "
				+ "deleted again, as this state file could not record it: " + e.getMessage(), e);
		}
		report.accept("detached: ECS service " + started.service() + " (Fargate, cluster " + MonitorTask.CLUSTER
			+ ", one task, replaced if it dies) monitors this run; its state: " + location + "; its log: log group "
			+ shared.logGroup() + ", streams monitor/...");
		return started;
	}

	/**
	 * Tears a run down now (idempotent): the state file's resources, or without one the config's.
	 * A complete teardown is recorded in the state file and its S3 copy, which ends any monitor.
	 */
	public Teardown.Result cleanup(Optional<Path> stateFile, Consumer<String> report) {
		Optional<StateFile> state = stateFile.map(f -> StateStore.local(f).read());
		Teardown.Result result = new Teardown(aws, TeardownPlan.of(config, state), report, Teardown.Waits.DEFAULT,
			Ticker.SYSTEM, false).run();
		if (result.complete() && state.isPresent()) {
			String at = Long.toString(System.currentTimeMillis());
			state.get().with(StateKeys.TEARDOWN, StateKeys.DONE_VALUE).with(StateKeys.TEARDOWN_AT, at).write(stateFile.get());
			String remote = state.get().extra().get(StateKeys.DETACHED_STATE);
			if (remote != null && stateStore(remote).exists()) {
				StateStore copy = stateStore(remote);
				copy.write(copy.read().with(StateKeys.TEARDOWN, StateKeys.DONE_VALUE).with(StateKeys.TEARDOWN_AT, at));
			}
		}
		return result;
	}

	/** The detached monitor's service as ECS describes it; empty when there is none. */
	private Optional<MonitorService.State> monitorService(String name) {
		try {
			return new MonitorService(aws).describe(name);
		}
		catch (SdkException e) {
			throw AwsErrors.failure("looking for the detached monitor's service " + name, e);
		}
	}

	private StateStore stateStore(String location) {
		return StateStore.isS3(location) ? StateStore.s3(aws.s3(), location) : StateStore.local(Path.of(location));
	}

	/** An incomplete teardown is an error; one that only weather stopped is a transient one, tried again later. */
	private static void requireComplete(Teardown.Result result) {
		if (result.complete()) return;
		String message = "the teardown is incomplete (" + String.join("; ", result.problems())
			+ "); run the monitor or 'parascope cleanup' again to finish it";
		if (result.weather().isPresent()) throw new TransientException(message, result.weather().get());
		throw new ParascopeException(message);
	}

	/** The queue a monitor watches: SQS, named by the state file (DCP's files name no dead-letter queue). */
	TaskQueue monitoredQueue(StateFile state) {
		String dead = state.extra().getOrDefault(FleetStateKeys.SQS_DEAD_LETTER_QUEUE, Names.of(config).deadLetterQueue());
		return SqsTaskQueue.open(aws.sqs(), state.queue(), dead, aws.region().id());
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
			queue.visibility(), queue.counts(), JobManifest.all(JobManifest.folder(dir, app)), detachedMonitor(dir));
	}

	/** The detached monitor the state file in {@code dir} names, if its run is not torn down. */
	private Optional<QueueStatus.DetachedMonitor> detachedMonitor(Path dir) {
		Path file = Names.of(config).stateFile(dir);
		if (!Files.isRegularFile(file)) return Optional.empty();
		StateFile state;
		try {
			state = StateStore.local(file).read();
		}
		catch (ParascopeException unreadable) {
			return Optional.empty(); // the queue's status does not depend on it; monitor and cleanup say what is wrong
		}
		String service = state.extra().get(StateKeys.DETACHED_SERVICE);
		if (service == null || Monitor.isTornDown(state)) return Optional.empty();
		return Optional.of(new QueueStatus.DetachedMonitor(service, MonitorTask.CLUSTER, state.extra().get(StateKeys.DETACHED_STATE),
			monitorService(service).map(s -> new QueueStatus.Service(s.status(), s.running(), s.desired()))));
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
