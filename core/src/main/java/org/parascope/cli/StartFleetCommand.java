package org.parascope.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.parascope.AutoMonitor;
import org.parascope.Parascope;
import org.parascope.ParascopeException;
import org.parascope.config.ConfigKey;
import org.parascope.monitor.MonitorOptions;
import org.parascope.run.DetachedMonitor;
import org.parascope.run.FleetStarted;

import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "start-fleet", aliases = "startCluster", mixinStandardHelpOptions = true,
	description = { "Starts the spot machines that work the queue, scales the ECS service made by 'setup' to "
		+ "CLUSTER_MACHINES x TASKS_PER_MACHINE containers, and waits until the machines run.",
		"With FLEET, a Distributed-CellProfiler/-Fiji fleet file (a Spot Fleet request) is used as it is; the "
			+ "config fills in capacity, price, every MACHINE_TYPE, the data volume's size (EBS_VOL_SIZE) and the "
			+ "user data that joins ECS_CLUSTER. Without FLEET, an EC2 Fleet is built from the config: the current "
			+ "ECS-optimized image, the default VPC's subnets and 'default' security group, and the instance "
			+ "profile ParascopeEcsInstanceRole ('parascope init-account' creates it). Machines require IMDSv2 either way.",
		"Writes files/<APP_NAME>SpotFleetRequestId.json, the state file 'monitor' reads (a superset of DCP's). "
			+ "If anything fails, the fleet is cancelled and nothing is left behind; errors say whether AWS lacks "
			+ "capacity (try other MACHINE_TYPEs or a higher MACHINE_PRICE) or the configuration is wrong.",
		"With AUTO_MONITOR True (DCP's default), the monitor is then started as an ECS service of one Fargate task, "
			+ "as 'monitor --detach' does (ECS replaces its container if it dies): it tears the run down when the "
			+ "work is done, with this computer off; "
			+ "'monitor --follow' follows it. --no-monitor (or AUTO_MONITOR False) leaves that to you.",
		"'startCluster FLEET' is DCP's name for the same command.",
		"--json prints {\"region\", \"kind\": \"spot-fleet\"|\"ec2-fleet\", \"fleetId\", \"running\", \"target\", "
			+ "\"stateFile\", \"dashboard\"?, \"warnings\", \"monitor\": \"detached\"|\"none\"|\"failed\", \"next\"}; "
			+ "detached adds the monitor's ECS \"service\", its \"cluster\", the state it works on (\"monitorState\", "
			+ "s3://...) and \"follow\" (the command that follows it); failed adds \"error\" and \"cleanup\". "
			+ "An error is {\"error\"}; what it waits for goes to stderr." },
	footer = { "", "Examples:", "  parascope --config config.py start-fleet files/exampleFleet.json",
		"  parascope start-fleet --wait 20m" })
final class StartFleetCommand implements Callable<Integer> {

	@ParentCommand
	Main main;

	@Parameters(paramLabel = "FLEET", arity = "0..1",
		description = "A DCP/DF fleet file (JSON Spot Fleet request config); none builds an EC2 Fleet from the config.")
	Path fleetFile;

	@Option(names = "--wait", paramLabel = "TIME", defaultValue = "10m", converter = DurationConverter.class,
		description = "How long to wait for the machines, e.g. 90s, 10m, 1h; 0 returns once the fleet is "
			+ "requested (default: ${DEFAULT-VALUE}). If no machine starts in that time, the fleet is cancelled.")
	Duration wait;

	@Option(names = "--no-monitor", description = "Do not start the detached monitor although AUTO_MONITOR is True "
		+ "(then run 'parascope monitor' yourself: until a monitor tears the run down, the machines cost money).")
	boolean noMonitor;

	@Mixin
	Output output;

	@Override
	public Integer call() {
		if (fleetFile != null && !Files.isRegularFile(fleetFile)) throw new ParascopeException(fleetFile + ": no such fleet file");
		try (Parascope parascope = main.cloud(output)) {
			AutoMonitor autoMonitor = AutoMonitor.of(parascope.config(), noMonitor, "--no-monitor", "pass --no-monitor");
			autoMonitor.check(parascope.config()); // the monitor's image, before anything is created
			// What it waits for is commentary: on stderr with --json, left out with --quiet.
			Consumer<String> progress = output.json() || !output.chatty() ? output::note : output::text;
			FleetStarted result = parascope.startFleet(fleetFile, main.workDir(), wait, progress);
			result.warnings().forEach(main::warn);
			String state = main.workDir().relativize(result.stateFile()).toString();
			ObjectNode json = output.object().put("region", parascope.region()).put("kind", result.kind().key())
				.put("fleetId", result.fleetId()).put("running", result.state().running())
				.put("target", result.state().target()).put("stateFile", result.stateFile().toString());
			result.dashboard().ifPresent(d -> json.put("dashboard", d));
			result.warnings().forEach(json.putArray("warnings")::add);
			output.text(result.kind() + " " + result.fleetId() + ": " + result.state().running() + " of "
				+ result.state().target() + " machines running.");
			result.dashboard().ifPresent(d -> output.text("Dashboard: " + d + " (CloudWatch console)."));
			output.text("State file: " + state);
			double perHour = result.state().target() * parascope.config().decimal(ConfigKey.MACHINE_PRICE);
			int exit = Main.OK;
			if (!autoMonitor.on()) {
				main.warn(autoMonitor.costWarning(result.state().target(), parascope.config().decimal(ConfigKey.MACHINE_PRICE)));
				json.put("monitor", "none").put("next", main.commandLine("monitor", state));
				output.text("Next: " + main.commandLine("monitor", state));
			}
			else {
				try {
					DetachedMonitor started = parascope.detachMonitor(result.stateFile(), MonitorOptions.of(parascope.config(),
						MonitorOptions.DEFAULT_INTERVAL, false), List.of(), progress);
					String follow = main.commandLine("monitor", "--follow", state);
					json.put("monitor", "detached").put("service", started.service()).put("cluster", started.cluster())
						.put("monitorState", started.stateLocation()).put("follow", follow).put("next", follow);
					output.text("The monitor runs unattended (AUTO_MONITOR) and tears the run down when it is done; "
						+ "this computer may be switched off.");
					output.text("Follow it: " + main.commandLine("monitor", "--follow", state));
				}
				catch (ParascopeException e) {
					json.put("monitor", "failed").put("error", e.getMessage()).put("next", main.commandLine("monitor", state))
						.put("cleanup", main.commandLine("cleanup", state));
					output.text("The fleet runs, but the monitor could not be started (AUTO_MONITOR): " + e.getMessage());
					output.text("Its machines cost up to $" + String.format("%.2f", perHour) + " an hour until a monitor "
						+ "tears the run down.");
					output.text("to watch it from here:   " + main.commandLine("monitor", state));
					output.text("to tear it down now:     " + main.commandLine("cleanup", state));
					exit = Main.STOPPED;
				}
			}
			if (output.json()) output.json(json);
			return exit;
		}
	}

	/** 90s, 10m, 1h, 1h30m, or a plain number of minutes. */
	static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
		private static final Pattern PART = Pattern.compile("(\\d+)([hms])");

		@Override
		public Duration convert(String text) {
			String value = text.strip().toLowerCase(Locale.ROOT);
			if (value.matches("\\d+")) return Duration.ofMinutes(Long.parseLong(value));
			if (!value.matches("(\\d+[hms])+")) {
				throw new CommandLine.TypeConversionException("expected a time such as 90s, 10m or 1h, got '" + text + "'");
			}
			Duration total = Duration.ZERO;
			Matcher m = PART.matcher(value);
			while (m.find()) {
				long n = Long.parseLong(m.group(1));
				total = total.plus(switch (m.group(2)) {
					case "h" -> Duration.ofHours(n);
					case "m" -> Duration.ofMinutes(n);
					default -> Duration.ofSeconds(n);
				});
			}
			return total;
		}
	}
}
