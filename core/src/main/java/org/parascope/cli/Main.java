package org.parascope.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import org.parascope.Parascope;
import org.parascope.ParascopeException;
import org.parascope.aws.AwsClients;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code parascope} command line: picocli commands over the {@link Parascope} facade. */
@Command(name = "parascope", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
	description = "Runs Fiji and CellProfiler analyses at scale: a job is split into tasks that workers "
		+ "take from a queue; results land in a store. 'run --local' runs a job on this machine.",
	subcommands = { RunCommand.class, InitAccountCommand.class, SetupCommand.class, SubmitCommand.class,
		StartFleetCommand.class, MonitorCommand.class, StatusCommand.class, RetryFailedCommand.class,
		LogsCommand.class, ReportCommand.class, CleanupCommand.class, CommandLine.HelpCommand.class, WorkerCommand.class },
	footer = { "", "Config keys and job formats: docs/config.md and docs/jobs.md." })
public final class Main {

	/** Exit codes: every task succeeded; some task failed; the input was wrong. */
	static final int OK = 0, TASKS_FAILED = 1, BAD_INPUT = 2;

	@Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
		description = "Settings: parascope.yml, parascope.json or a Distributed-CellProfiler/-Fiji config.py "
			+ "(default: the first of those in the current folder).")
	Path configFile;

	@Option(names = "--profile", scope = ScopeType.INHERIT, paramLabel = "NAME",
		description = "AWS credentials profile (overrides AWS_PROFILE).")
	String profile;

	@Option(names = "--region", scope = ScopeType.INHERIT, paramLabel = "REGION",
		description = "AWS region (overrides AWS_REGION).")
	String region;

	@Option(names = "--endpoint-url", scope = ScopeType.INHERIT, paramLabel = "URL",
		description = "Send every AWS call to this endpoint, e.g. an AWS API emulator (default: "
			+ "$AWS_ENDPOINT_URL_<SERVICE>, e.g. AWS_ENDPOINT_URL_SQS, else $AWS_ENDPOINT_URL).")
	URI endpointUrl;

	private final Map<String, String> env;
	private final Path workDir;
	private final PrintWriter err;

	Main(Map<String, String> env, Path workDir, PrintWriter err) {
		this.env = env;
		this.workDir = workDir.toAbsolutePath();
		this.err = err;
	}

	public static void main(String[] args) {
		System.exit(run(args, System.getenv()));
	}

	/** Runs the command line in the current folder; returns the exit code. */
	public static int run(String[] args, Map<String, String> env) {
		return run(args, env, Path.of(""));
	}

	/**
	 * Runs the command line as if started in {@code workDir}: where the config is discovered and
	 * where {@code files/} (DCP's monitor file, job manifests) lives. Faces and tests use it.
	 */
	public static int run(String[] args, Map<String, String> env, Path workDir) {
		PrintWriter err = new PrintWriter(System.err, true);
		CommandLine cli = new CommandLine(new Main(env, workDir, err));
		cli.setErr(err);
		cli.setExecutionExceptionHandler((e, line, parsed) -> {
			if (e instanceof ParascopeException) {
				line.getErr().println("parascope: " + e.getMessage());
				return BAD_INPUT;
			}
			throw e;
		});
		return cli.execute(args);
	}

	/** The facade, with settings loaded from the file and environment, then the options. */
	Parascope parascope() {
		Config config = configFile != null
			? Config.load(workDir.resolve(configFile), env, this::warn)
			: Config.discover(workDir, env, this::warn);
		if (profile != null) config = config.with(ConfigKey.AWS_PROFILE, profile);
		if (region != null) config = config.with(ConfigKey.AWS_REGION, region);
		// Checks the endpoint options and variables before anything runs; clients are built on first use.
		return new Parascope(config, new AwsClients(config, endpointUrl, env));
	}

	/** The folder the command runs in (see {@link #run(String[], Map, Path)}). */
	Path workDir() {
		return workDir;
	}

	void warn(String message) {
		err.println("parascope: warning: " + message);
	}

	static final class Version implements CommandLine.IVersionProvider {
		@Override
		public String[] getVersion() {
			String v = Main.class.getPackage().getImplementationVersion();
			return new String[] { "parascope " + (v != null ? v : "(development build)") };
		}
	}
}
