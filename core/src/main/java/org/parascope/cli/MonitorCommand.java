package org.parascope.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.parascope.Parascope;
import org.parascope.ParascopeException;
import org.parascope.monitor.Monitor;
import org.parascope.monitor.MonitorOptions;
import org.parascope.run.DetachedMonitor;
import org.parascope.run.RunStateStore;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
		"With --detach, the same monitor runs on Fargate as an ECS service of one task, APP_NAME + Monitor- + the "
			+ "fleet's id in cluster default (image DOCKERHUB_TAG, task role APP_NAME + MonitorRole, created if "
			+ "missing), on a copy of the state file in s3://AWS_BUCKET/parascope/state/, so this computer can be "
			+ "switched off. If its container dies, ECS starts another, which carries on from that copy; it deletes "
			+ "its service once the run is torn down, and 'parascope cleanup' deletes it first.",
		"A reading that fails for a reason waiting can fix (throttling, an HTTP 5xx, a dropped connection, a "
			+ "timeout, expired credentials) is reported on one line and tried again after growing pauses (10 s "
			+ "doubling up to 5 min), for as long as the run lives. The monitor stops without tearing down only on "
			+ "Ctrl-C or on an error waiting cannot fix (a deleted queue, a permission taken away); it then prints "
			+ "what still runs, its cost per hour, and the commands that carry on or clean up.",
		"Exit code 0 when the run is torn down and no task failed (1: torn down, some tasks are in the dead-letter "
			+ "queue; 2: bad input; 3: stopped with the run's resources still there).",
		"--json prints JSON lines: {\"reading\": {...}} per reading, {\"note\": LINE} per action, and at the end "
			+ "{\"ending\": \"torn-down\"|\"already-torn-down\"|\"stopped\"|\"detached\", \"region\", \"dead\"?, "
			+ "\"service\"?, \"state\"?, \"resume\"?, \"cleanup\"?}; an error is {\"error\"}." },
	footer = { "", "Examples:", "  parascope monitor", "  parascope monitor files/MyAppSpotFleetRequestId.json --cheapest",
		"  parascope monitor --detach",
		"  parascope monitor --follow      (a run whose monitor is detached, as start-fleet does with AUTO_MONITOR)",
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

	@Option(names = "--detach", description = "Run the monitor as an ECS service of one Fargate task instead of here.")
	boolean detach;

	@Option(names = "--follow", description = "Follow the detached monitor of this run (its readings from the state "
		+ "in S3) until it has torn the run down; Ctrl-C stops following, not the monitor.")
	boolean follow;

	@Option(names = "--subnet", paramLabel = "ID",
		description = "With --detach: a subnet for the monitor's task (repeatable; default: the default VPC's).")
	List<String> subnets = List.of();

	@Mixin
	Output output;

	@Override
	public Integer call() {
		try (Parascope parascope = main.cloud(output)) {
			String location = state != null ? state
				: Parascope.stateFile(parascope.config(), main.workDir()).toString();
			MonitorOptions options = MonitorOptions.of(parascope.config(), Duration.ofSeconds(interval),
				cheapest || dcpCheapest());
			if (follow) {
				if (RunStateStore.isS3(location)) throw new ParascopeException("--follow needs the local state file, not " + location);
				Monitor.Outcome outcome = parascope.followMonitor(Path.of(location), Duration.ofSeconds(interval),
					new MonitorView(output.out()));
				return outcome.ending() == Monitor.Ending.STOPPED ? Main.STOPPED : Main.OK;
			}
			if (detach) {
				if (RunStateStore.isS3(location)) throw new ParascopeException("--detach needs the local state file, not " + location);
				DetachedMonitor started = parascope.detachMonitor(Path.of(location), options, subnets,
					output.json() ? line -> output.json(output.object().put("note", line)) : output::text);
				if (output.json()) {
					output.json(output.object().put("ending", "detached").put("region", parascope.region())
						.put("service", started.service()).put("state", started.stateLocation()));
				}
				return Main.OK;
			}
			try (CtrlC ctrlC = new CtrlC(output.out())) {
				Monitor.Outcome outcome = parascope.monitor(location, options,
					output.json() ? new MonitorJsonLines(output) : new MonitorView(output.out()));
				return ctrlC.exit(exitCode(outcome, location, parascope));
			}
		}
	}

	private int exitCode(Monitor.Outcome outcome, String location, Parascope parascope) {
		boolean stopped = outcome.ending() == Monitor.Ending.STOPPED;
		String resume = main.commandLine("monitor", location);
		String cleanup = RunStateStore.isS3(location) ? main.commandLine("cleanup") : main.commandLine("cleanup", location);
		if (output.json()) {
			var end = output.object().put("ending", outcome.ending().name().toLowerCase().replace('_', '-'))
				.put("region", parascope.region());
			outcome.last().ifPresent(r -> end.put("dead", r.dead()));
			if (stopped) end.put("resume", resume).put("cleanup", cleanup);
			output.json(end);
		}
		if (stopped) {
			output.text("to watch it again:   " + resume);
			output.text("to tear it down now: " + cleanup);
			return Main.STOPPED;
		}
		return outcome.last().filter(r -> r.dead() > 0).isPresent() ? Main.TASKS_FAILED : Main.OK;
	}

	/**
	 * Ctrl-C (or a TERM signal) interrupts the monitor instead of killing it mid-sentence: it stops
	 * between calls, says what still runs and how to carry on, and the process exits with the code
	 * it chose (a JVM ended by a signal would otherwise exit 130).
	 */
	private static final class CtrlC implements AutoCloseable {
		private final Thread monitor = Thread.currentThread();
		private final CountDownLatch finished = new CountDownLatch(1);
		private final AtomicInteger code = new AtomicInteger(Main.STOPPED);
		private final Thread hook = new Thread(this::stop, "parascope-monitor-stop");
		private final PrintWriter out;

		/** {@code out}: the command's standard output, flushed before the process halts. */
		CtrlC(PrintWriter out) {
			this.out = out;
			Runtime.getRuntime().addShutdownHook(hook);
		}

		private void stop() {
			monitor.interrupt();
			try {
				if (finished.await(60, TimeUnit.SECONDS)) {
					out.flush();
					Runtime.getRuntime().halt(code.get());
				}
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}

		int exit(int exitCode) {
			code.set(exitCode);
			return exitCode;
		}

		@Override
		public void close() {
			out.flush();
			finished.countDown();
			try {
				Runtime.getRuntime().removeShutdownHook(hook);
			}
			catch (IllegalStateException e) {
				// Shutting down already: the hook ends the process with the code set.
			}
		}
	}

	private boolean dcpCheapest() {
		if (dcpCheapest == null || dcpCheapest.equalsIgnoreCase("false")) return false;
		if (dcpCheapest.equalsIgnoreCase("true")) return true;
		throw new ParascopeException("CHEAPEST: expected True or False, got " + dcpCheapest);
	}
}
