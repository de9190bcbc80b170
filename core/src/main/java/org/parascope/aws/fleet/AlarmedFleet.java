package org.parascope.aws.fleet;

import java.util.List;
import java.util.function.Consumer;

import org.parascope.aws.AwsErrors;
import org.parascope.fleet.Fleet;
import org.parascope.fleet.FleetState;

/**
 * The fleet as a monitor watches it: each time it is described, every machine that has no idle alarm
 * yet gets one ({@link IdleAlarms}), so spot replacements are covered as soon as a monitor sees them.
 * An alarm that cannot be put (a permission missing, weather) is reported, once per reason, and never
 * stops the monitor: the fleet's expiry still bounds the machines.
 */
final class AlarmedFleet implements Fleet {

	private final AwsFleet fleet;
	private final IdleAlarms alarms;
	private final Consumer<String> report;
	private String lastProblem;

	AlarmedFleet(AwsFleet fleet, IdleAlarms alarms, Consumer<String> report) {
		this.fleet = fleet;
		this.alarms = alarms;
		this.report = report;
	}

	@Override
	public void start(int workers) {
		fleet.start(workers);
	}

	@Override
	public void scale(int workers) {
		fleet.scale(workers);
	}

	@Override
	public FleetState describe() {
		FleetState state = fleet.describe();
		if (state.running() > 0) guard();
		return state;
	}

	private void guard() {
		try {
			List<String> created = alarms.ensure(fleet.machines());
			created.forEach(name -> report.accept("idle alarm " + name + ": terminates its machine after "
				+ IdleAlarms.IDLE_MINUTES + " minutes below " + IdleAlarms.CPU_PERCENT + " % CPU"));
			lastProblem = null;
		}
		catch (RuntimeException e) {
			String problem = AwsErrors.explain(e);
			if (!problem.equals(lastProblem)) report.accept("cannot put idle alarms on the machines: " + problem);
			lastProblem = problem;
		}
	}

	@Override
	public void stop() {
		fleet.stop();
	}
}
