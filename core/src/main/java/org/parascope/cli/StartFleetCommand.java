package org.parascope.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.parascope.Parascope;
import org.parascope.ParascopeException;
import org.parascope.aws.FleetStart;

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
		"'startCluster FLEET' is DCP's name for the same command.",
		"--json prints {\"region\", \"kind\": \"spot-fleet\"|\"ec2-fleet\", \"fleetId\", \"running\", \"target\", "
			+ "\"stateFile\", \"dashboard\"?, \"warnings\"}, or {\"error\"}; what it waits for goes to stderr." },
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

	@Mixin
	Output output;

	@Override
	public Integer call() {
		if (fleetFile != null && !Files.isRegularFile(fleetFile)) throw new ParascopeException(fleetFile + ": no such fleet file");
		FleetStart.Result result;
		String region;
		try (Parascope parascope = main.cloud(output)) {
			region = parascope.aws().region().id();
			// What it waits for is commentary: on stderr with --json, left out with --quiet.
			result = parascope.startFleet(fleetFile, main.workDir(), wait,
				output.json() || !output.chatty() ? output::note : output::text);
		}
		result.warnings().forEach(main::warn);
		Path relative = main.workDir().relativize(result.stateFile());
		if (output.json()) {
			ObjectNode json = output.object().put("region", region).put("kind", result.kind().key())
				.put("fleetId", result.fleetId()).put("running", result.state().running())
				.put("target", result.state().target()).put("stateFile", result.stateFile().toString());
			result.dashboard().ifPresent(d -> json.put("dashboard", d));
			result.warnings().forEach(json.putArray("warnings")::add);
			output.json(json);
			return Main.OK;
		}
		output.text(result.kind() + " " + result.fleetId() + ": " + result.state().running() + " of "
			+ result.state().target() + " machines running.");
		result.dashboard().ifPresent(d -> output.text("Dashboard: " + d + " (CloudWatch console)."));
		output.text("State file: " + relative + "\nNext: parascope monitor " + relative);
		return Main.OK;
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
