package org.parascope.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import org.parascope.Parascope;
import org.parascope.ParascopeException;
import org.parascope.aws.Names;
import org.parascope.monitor.Monitor;
import org.parascope.monitor.MonitorOptions;
import org.parascope.monitor.StateStore;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "monitor", mixinStandardHelpOptions = true,
	description = { "Watches a run until it is done, then tears it down. Every interval it reads the queue and the "
		+ "fleet and prints one line: tasks done, dead, running, waiting, tasks per hour, ETA, machines, and cost so "
		+ "far (machine-hours x MACHINE_PRICE, an upper bound).",
		"Once nothing waits, the fleet is lowered to the machines the running tasks need (never below 1). After 3 "
			+ "readings in a row with nothing waiting or running, everything is torn down as 'parascope cleanup' "
			+ "does. Progress is kept in the state file: a monitor killed and started again carries on, and one "
			+ "started on a run already torn down says so and exits 0.",
		"With --detach, the same monitor runs as a small ECS task on Fargate (image DOCKERHUB_TAG, task role "
			+ "APP_NAME + MonitorRole, created if missing), on a copy of the state file in "
			+ "s3://AWS_BUCKET/parascope/state/, so this computer can be switched off.",
		"Exit code 0 when the run is torn down and no task failed (1: some tasks are in the dead-letter queue; 2: "
			+ "bad input)." },
	footer = { "", "Examples:", "  parascope monitor", "  parascope monitor files/MyAppSpotFleetRequestId.json --cheapest",
		"  parascope monitor --detach",
		"  parascope monitor files/MyAppSpotFleetRequestId.json True    (Distributed-CellProfiler's form of --cheapest)" })
final class MonitorCommand implements Callable<Integer> {

	@ParentCommand
	Main main;

	@Parameters(index = "0", arity = "0..1", paramLabel = "STATE",
		description = "The state file start-fleet wrote (default: files/<APP_NAME>SpotFleetRequestId.json), "
			+ "or its s3:// copy.")
	String state;

	@Parameters(index = "1", arity = "0..1", paramLabel = "CHEAPEST",
		description = "True or False: Distributed-CellProfiler's way of saying --cheapest.")
	String dcpCheapest;

	@Option(names = "--cheapest",
		description = "15 minutes after the first reading, lower the fleet to 1 machine: slower, cheapest.")
	boolean cheapest;

	@Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "60",
		description = "Seconds between readings (default: ${DEFAULT-VALUE}).")
	long interval;

	@Option(names = "--detach", description = "Run the monitor as an ECS task on Fargate instead of here.")
	boolean detach;

	@Option(names = "--subnet", paramLabel = "ID",
		description = "With --detach: a subnet for the monitor task (repeatable; default: the default VPC's).")
	List<String> subnets = List.of();

	@Override
	public Integer call() {
		try (Parascope parascope = main.parascope()) {
			String location = state != null ? state
				: Names.of(parascope.config()).stateFile(main.workDir()).toString();
			MonitorOptions options = MonitorOptions.of(parascope.config(), Duration.ofSeconds(interval),
				cheapest || dcpCheapest());
			if (detach) {
				if (StateStore.isS3(location)) throw new ParascopeException("--detach needs the local state file, not " + location);
				parascope.detachMonitor(Path.of(location), options, subnets, System.out::println);
				return Main.OK;
			}
			Monitor.Outcome outcome = parascope.monitor(location, options, new MonitorView(System.out));
			return outcome.last().filter(r -> r.dead() > 0).isPresent() ? Main.TASKS_FAILED : Main.OK;
		}
	}

	private boolean dcpCheapest() {
		if (dcpCheapest == null || dcpCheapest.equalsIgnoreCase("false")) return false;
		if (dcpCheapest.equalsIgnoreCase("true")) return true;
		throw new ParascopeException("CHEAPEST: expected True or False, got " + dcpCheapest);
	}
}
