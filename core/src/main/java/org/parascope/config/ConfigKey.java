package org.parascope.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every setting Parascope reads, with its type, default and meaning. The names and defaults are
 * those of Distributed-CellProfiler / Distributed-Fiji config.py files (docs/compatibility.md §1), so
 * that their files load unchanged.
 */
public enum ConfigKey {
	APP_NAME(Type.STRING, "DistributedCP",
		"Prefix of every resource name (queue, service, task definition, dashboard)."),
	LOG_GROUP_NAME(Type.STRING, "APP_NAME", c -> c.string(APP_NAME),
		"CloudWatch log group; containers log to LOG_GROUP_NAME + '_perInstance'."),
	DOCKERHUB_TAG(Type.STRING, null, "Worker container image."),
	AWS_REGION(Type.STRING, "us-east-1", "AWS region of every resource."),
	AWS_PROFILE(Type.STRING, "default", "AWS credentials profile."),
	SSH_KEY_NAME(Type.STRING, null, "SSH key file for logging in to instances (informational only)."),
	AWS_BUCKET(Type.STRING, null,
		"Bucket for exported logs, ECS configuration and the monitor file; the other buckets default to it."),
	SOURCE_BUCKET(Type.STRING, "AWS_BUCKET", c -> c.value(AWS_BUCKET), "Bucket the images are read from."),
	WORKSPACE_BUCKET(Type.STRING, "AWS_BUCKET", c -> c.value(AWS_BUCKET),
		"Bucket of pipelines, CSVs and file lists."),
	DESTINATION_BUCKET(Type.STRING, "AWS_BUCKET", c -> c.value(AWS_BUCKET), "Bucket the outputs are written to."),
	UPLOAD_FLAGS(Type.STRING, "", "Extra options for uploading outputs, e.g. --acl bucket-owner-full-control (docs/worker.md lists the accepted ones)."),
	ECS_CLUSTER(Type.STRING, "default", "ECS cluster name."),
	CLUSTER_MACHINES(Type.INTEGER, 3, "Number of machines the fleet targets."),
	TASKS_PER_MACHINE(Type.INTEGER, 1,
		"Containers per machine; the service runs CLUSTER_MACHINES x TASKS_PER_MACHINE containers."),
	MACHINE_TYPE(Type.LIST, List.of("m5.xlarge"), "EC2 instance types the fleet may use."),
	MACHINE_PRICE(Type.DECIMAL, 0.20, "Maximum spot price per machine, USD per hour."),
	EBS_VOL_SIZE(Type.INTEGER, 30, "Size of each machine's data volume, GB (at least 22)."),
	DOWNLOAD_FILES(Type.BOOLEAN, false, "Download each task's inputs instead of mounting the bucket."),
	ASSIGN_IP(Type.BOOLEAN, true, "Give instances a public IP address."),
	DOCKER_CORES(Type.INTEGER, 4, "Worker processes per container (at least 1)."),
	CPU_SHARES(Type.INTEGER, "DOCKER_CORES * 1024", c -> c.integer(DOCKER_CORES) * 1024,
		"ECS CPU units per container (1024 = one core)."),
	MEMORY(Type.INTEGER, 15000, "Hard memory limit per container, MiB."),
	SECONDS_TO_START(Type.INTEGER, 180, "Seconds between starting the worker processes of one container."),
	SQS_QUEUE_NAME(Type.STRING, "APP_NAME + 'Queue'", c -> c.string(APP_NAME) + "Queue", "Task queue name."),
	SQS_MESSAGE_VISIBILITY(Type.INTEGER, 60, "Seconds a received task stays hidden from other workers (1 to 43200)."),
	SQS_DEAD_LETTER_QUEUE(Type.STRING, "APP_NAME + 'DeadMessages'", c -> c.string(APP_NAME) + "DeadMessages",
		"Queue of tasks that failed JOB_RETRIES times (an ARN is cut to its name)."),
	// DCP's templates say 3, but DCP uses 10 when a config.py does not set it; both are kept.
	JOB_RETRIES(Type.INTEGER, 10, "Receives of a task before it goes to the dead-letter queue (1 to 1000)."),
	AUTO_MONITOR(Type.BOOLEAN, true, "Monitor the run unattended once the fleet starts."),
	MAX_RUN_HOURS(Type.INTEGER, 48,
		"Hours after start-fleet when the fleet expires and AWS terminates its machines, whatever else happens (at least 1)."),
	CREATE_DASHBOARD(Type.BOOLEAN, true, "Create a CloudWatch dashboard for the run."),
	CLEAN_DASHBOARD(Type.BOOLEAN, true, "Delete the dashboard when the run ends."),
	CHECK_IF_DONE_BOOL(Type.BOOLEAN, false,
		"Skip a task whose output folder already holds EXPECTED_NUMBER_FILES matching files."),
	EXPECTED_NUMBER_FILES(Type.INTEGER, 7, "Number of files that make a task count as done."),
	MIN_FILE_SIZE_BYTES(Type.INTEGER, 1, "Smallest file, in bytes, that counts toward EXPECTED_NUMBER_FILES."),
	NECESSARY_STRING(Type.STRING, "", "Text a file name must contain to count toward EXPECTED_NUMBER_FILES."),
	ALWAYS_CONTINUE(Type.BOOLEAN, false, "Run CellProfiler with --always-continue."),
	USE_PLUGINS(Type.BOOLEAN, false, "Give CellProfiler the CellProfiler-plugins directory."),
	UPDATE_PLUGINS(Type.BOOLEAN, false, "Pull the latest CellProfiler-plugins before running."),
	PLUGINS_COMMIT(Type.STRING, "", "CellProfiler-plugins commit or tag to check out ('' for none)."),
	INSTALL_REQUIREMENTS(Type.BOOLEAN, false, "Install REQUIREMENTS for the plugins."),
	REQUIREMENTS(Type.STRING, "",
		"pip flags, or a requirements file in the plugins repository (legacy name REQUIREMENTS_FILE)."),
	CELLPROFILER_EXECUTABLE(Type.STRING, "cellprofiler", "The CellProfiler program workers run: a name on PATH or a path."),
	CELLPROFILER_PLUGINS_DIRECTORY(Type.STRING, "/home/ubuntu/CellProfiler-plugins/active_plugins",
		"Folder of CellProfiler plugin modules, given to CellProfiler when USE_PLUGINS is on."),
	CELLPROFILER_WARM(Type.BOOLEAN, true,
		"Run CellProfiler tasks in one long-lived CellProfiler per worker, which starts once, instead of a new process per task (docs/worker.md)."),
	CELLPROFILER_WARM_TASKS(Type.INTEGER, 100,
		"Tasks a warm CellProfiler runs before it is replaced by a fresh one (0: no limit)."),
	CELLPROFILER_WARM_MEMORY(Type.INTEGER, "MEMORY / DOCKER_CORES", c -> c.integer(MEMORY) / c.integer(DOCKER_CORES),
		"Resident memory, MiB, past which a warm CellProfiler is replaced by a fresh one after its task (0: no limit)."),
	SCRIPT_DOWNLOAD_URL(Type.STRING, null, "URL of the Fiji script every task runs (Distributed-Fiji)."),
	TASK_TIMEOUT(Type.INTEGER, 0,
		"Seconds one try of a task may take on a worker before it is stopped and counts as failed (0: no limit)."),
	RETRY_DELAY(Type.INTEGER, 10,
		"Seconds a failed task waits before its next try on AWS workers; doubles with every try, at most 15 minutes."),
	FIJI_HOME(Type.STRING, null,
		"Folder of an installed Fiji.app: Fiji tasks run there, one process each, instead of in the worker's own ImageJ."),
	TRACE_SECONDS(Type.INTEGER, 60,
		"Seconds an AWS worker keeps its trace records before writing them as one object in AWS_BUCKET (sooner after 500 records, and at exit; 0: no trace; docs/trace.md).");

	/** DCP's older name of REQUIREMENTS; when it holds a value it replaces REQUIREMENTS, as in DCP. */
	static final String LEGACY_REQUIREMENTS = "REQUIREMENTS_FILE";

	/** The kinds of value a key holds. */
	public enum Type {
		STRING("a string"), INTEGER("an integer"), DECIMAL("a number"), BOOLEAN("True or False"),
		LIST("a list of strings");

		private final String noun;

		Type(String noun) {
			this.noun = noun;
		}

		/** How an error message names it: "expected an integer". */
		public String noun() {
			return noun;
		}
	}

	private final Type type;
	private final String defaultText;
	private final Function<Config, Object> defaultValue;
	private final String description;

	/** A key with a constant default, or none when {@code value} is null. */
	ConfigKey(Type type, Object value, String description) {
		this(type, value == null ? null : Values.repr(value), c -> value, description);
	}

	/** A key whose default is computed from other keys, shown in docs as {@code defaultText}. */
	ConfigKey(Type type, String defaultText, Function<Config, Object> defaultValue, String description) {
		this.type = type;
		this.defaultText = defaultText;
		this.defaultValue = defaultValue;
		this.description = description;
	}

	public Type type() {
		return type;
	}

	/** One line for --help and the docs. */
	public String description() {
		return description;
	}

	/** The default as the docs show it ({@code 'DistributedCP'}, {@code APP_NAME + 'Queue'}); empty if none. */
	public Optional<String> defaultText() {
		return Optional.ofNullable(defaultText);
	}

	/** The key of this exact name (names are case-sensitive, as in config.py). */
	public static Optional<ConfigKey> named(String name) {
		return Arrays.stream(values()).filter(k -> k.name().equals(name)).findFirst();
	}

	/** The default in {@code config}, which derived defaults read; null when there is none. */
	Object defaultValue(Config config) {
		return defaultValue.apply(config);
	}

	/** Smallest accepted value of an integer key. */
	int minimum() {
		return switch (this) {
			case EBS_VOL_SIZE -> 22; // the minimum DCP documents for its machine image
			case TASKS_PER_MACHINE, DOCKER_CORES, MEMORY, JOB_RETRIES, MAX_RUN_HOURS, SQS_MESSAGE_VISIBILITY -> 1;
			default -> 0;
		};
	}

	/** Why a value below {@link #minimum()} is refused, where the bound is not plain from the key's name. */
	String whyMinimum() {
		return switch (this) {
			case SQS_MESSAGE_VISIBILITY -> "0 hides a received task from no other worker, so every worker would run it"
				+ " at once, and the heartbeat that keeps a running task hidden would have nothing to extend";
			case JOB_RETRIES -> "a task is received at least once";
			default -> null;
		};
	}

	/** Largest accepted value of an integer key: SQS's own limits, so that setup fails early. */
	int maximum() {
		return switch (this) {
			case SQS_MESSAGE_VISIBILITY -> 12 * 60 * 60;
			case JOB_RETRIES -> 1000;
			default -> Integer.MAX_VALUE;
		};
	}

	/**
	 * DCP's config files write 'False' (or '') for "not set" in these keys; such a value leaves the
	 * key at its default, e.g. SOURCE_BUCKET then falls back to AWS_BUCKET.
	 */
	boolean falseMeansUnset() {
		return switch (this) {
			case SOURCE_BUCKET, WORKSPACE_BUCKET, DESTINATION_BUCKET, UPLOAD_FLAGS, PLUGINS_COMMIT, REQUIREMENTS -> true;
			default -> false;
		};
	}
}
