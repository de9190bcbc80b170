package org.parascope.cli;

import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.parascope.Parascope;
import org.parascope.ShellWords;
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
		LogsCommand.class, ReportCommand.class, CleanupCommand.class, JobCommand.class, CommandLine.HelpCommand.class,
		WorkerCommand.class },
	footer = { "", "Exit codes: 0 done; 1 done, but tasks failed (or a teardown is incomplete); 2 fix your input "
		+ "(options, files, settings, credentials, permissions); 3 try again later (network or AWS trouble; a monitor "
		+ "stopped with the run's resources still there); 70 a bug in Parascope (--debug shows where).",
		"Config keys and job formats: docs/config.md and docs/jobs.md." })
public final class Main {

	/**
	 * Exit codes, one table for every verb (README, "Exit codes"): done; done but some task failed;
	 * fix the input; try again later (the network or AWS); a bug. A monitor that stops before the end,
	 * with the run's resources still there, says 3 too: its printed command carries on later.
	 */
	static final int OK = 0, TASKS_FAILED = 1, BAD_INPUT = 2, TRY_AGAIN = 3, STOPPED = TRY_AGAIN, BUG = 70;

	@Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
		description = "Settings: parascope.yml, parascope.json or a Distributed-CellProfiler/-Fiji config.py "
			+ "(default: the first of those in the current folder).")
	Path configFile;

	@Option(names = "--profile", scope = ScopeType.INHERIT, paramLabel = "NAME",
		description = "AWS profile of ~/.aws/config and ~/.aws/credentials, access keys or IAM Identity Center "
			+ "(SSO) (overrides AWS_PROFILE).")
	String profile;

	@Option(names = "--region", scope = ScopeType.INHERIT, paramLabel = "REGION",
		description = "AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, AWS_REGION in the config file, the "
			+ "profile's region, us-east-1). Every AWS command says which it uses.")
	String region;

	@Option(names = "--endpoint-url", scope = ScopeType.INHERIT, paramLabel = "URL",
		description = "Send every AWS call to this endpoint, e.g. an AWS API emulator (default: "
			+ "$AWS_ENDPOINT_URL_<SERVICE>, e.g. AWS_ENDPOINT_URL_SQS, else $AWS_ENDPOINT_URL, else the profile's "
			+ "endpoint_url in ~/.aws/config).")
	URI endpointUrl;

	@Option(names = "--debug", scope = ScopeType.INHERIT,
		description = "On an error, print its chain of causes (and where a bug happened) to standard error.")
	boolean debug;

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
		return run(args, env, workDir, writer(System.out), writer(System.err));
	}

	/**
	 * As {@link #run(String[], Map, Path)}, printing to {@code out} and {@code err} instead of standard
	 * output and error: every command prints through its command line's writers, so a caller in this JVM
	 * (a test) captures what it prints without touching System.out.
	 */
	public static int run(String[] args, Map<String, String> env, Path workDir, PrintWriter out, PrintWriter err) {
		Main main = new Main(env, workDir, err);
		CommandLine cli = new CommandLine(main);
		cli.setOut(out);
		cli.setErr(err);
		// As run_batch_general's argparse: an option given twice takes the last value.
		cli.getSubcommands().get("job").getSubcommands().get("batch").setOverwrittenOptionsAllowed(true);
		cli.setExecutionExceptionHandler((e, line, parsed) -> Failure.report(e, line, main.debug));
		cli.setParameterExceptionHandler(Failure.usage(cli.getParameterExceptionHandler()));
		return cli.execute(args);
	}

	/**
	 * Standard output or error as the commands' writer: UTF-8 (JSON's encoding; file names and keys in
	 * any script), flushed at every println, so progress and readings show as they come (docs/design.md).
	 */
	private static PrintWriter writer(OutputStream stream) {
		return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
	}

	/** The facade, with settings loaded from the file and environment, then the options. */
	Parascope parascope() {
		Config config = configFile != null
			? Config.load(workDir.resolve(configFile), env, this::warn)
			: Config.discover(workDir, env, this::warn);
		if (profile != null) config = config.with(ConfigKey.AWS_PROFILE, profile);
		// Checks the endpoint options and variables and the region before anything runs; clients are built on first use.
		return new Parascope(config, region, endpointUrl, env);
	}

	/** The facade of a command that works on AWS; it says, as a note, which region it works in. */
	Parascope cloud(Output output) {
		Parascope parascope = parascope();
		output.note("region " + parascope.regionChoice());
		return parascope;
	}

	/** A command line a user can paste: this one's global options (as given), then {@code words}. */
	String commandLine(String... words) {
		StringBuilder line = new StringBuilder("parascope");
		if (configFile != null) line.append(" --config ").append(ShellWords.quote(configFile.toString()));
		if (profile != null) line.append(" --profile ").append(ShellWords.quote(profile));
		if (region != null) line.append(" --region ").append(ShellWords.quote(region));
		if (endpointUrl != null) line.append(" --endpoint-url ").append(ShellWords.quote(endpointUrl.toString()));
		for (String word : words) line.append(' ').append(ShellWords.quote(word));
		return line.toString();
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
