package org.parascope.aws.fleet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

import org.parascope.Ticker;
import org.parascope.aws.AwsClients;
import org.parascope.aws.AwsErrors;
import org.parascope.fleet.Fleet;
import org.parascope.fleet.FleetState;
import org.parascope.machines.MachineLog;
import org.parascope.machines.MachineRecord;
import org.parascope.run.RunState;

import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceLifecycleType;
import software.amazon.awssdk.services.ec2.model.Reservation;

/**
 * The fleet as a monitor watches it, with its machines recorded: at each reading the fleet's machines are
 * listed, the new ones described (type, zone, spot or on-demand, launch time) and the log updated
 * ({@link MachineLog}), for the run's report to price each machine's lifetime (docs/trace.md, "Machines").
 * A record that cannot be made (a permission missing, weather) is reported once per reason and never stops
 * the monitor: the report then falls back to the trace.
 */
public final class FleetMachines implements Fleet {

	private final Fleet watched;
	private final AwsFleet fleet;
	private final Ec2Client ec2;
	private final MachineLog log;
	private final Ticker ticker;
	private final Consumer<String> report;
	private String lastProblem;

	/** @param watched the fleet the monitor drives ({@link AwsFleet#alarmed}); described first */
	public FleetMachines(AwsClients aws, RunState state, Fleet watched, MachineLog log, Ticker ticker,
		Consumer<String> report) {
		this.watched = watched;
		this.fleet = AwsFleet.open(aws, state);
		this.ec2 = aws.ec2();
		this.log = log;
		this.ticker = ticker;
		this.report = report;
	}

	@Override
	public FleetState describe() {
		FleetState state = watched.describe();
		try {
			log.reading(ticker.now(), fleet.machines(), this::describe);
			lastProblem = null;
		}
		catch (RuntimeException e) {
			String problem = AwsErrors.explain(e);
			if (!problem.equals(lastProblem)) report.accept("cannot record the fleet's machines in " + log.location() + ": " + problem);
			lastProblem = problem;
		}
		return state;
	}

	/** The fleet is gone: its machines' record is closed (the teardown's end is their end). */
	public void gone() {
		try {
			log.endAll(ticker.now());
		}
		catch (RuntimeException e) {
			report.accept("cannot record the end of the fleet's machines in " + log.location() + ": " + AwsErrors.explain(e));
		}
	}

	private List<MachineLog.Found> describe(Collection<String> ids) {
		List<MachineLog.Found> found = new ArrayList<>();
		// The ids come from the fleet: they exist, or have just gone (then EC2 still lists them for an hour).
		for (Reservation r : ec2.describeInstancesPaginator(b -> b.instanceIds(ids)).reservations()) {
			for (Instance i : r.instances()) {
				found.add(new MachineLog.Found(i.instanceId(), i.instanceTypeAsString(),
					i.placement() == null ? null : i.placement().availabilityZone(),
					i.instanceLifecycle() == InstanceLifecycleType.SPOT ? MachineRecord.SPOT : MachineRecord.ON_DEMAND,
					i.launchTime()));
			}
		}
		return found;
	}

	@Override
	public void start(int workers) {
		watched.start(workers);
	}

	@Override
	public void scale(int workers) {
		watched.scale(workers);
	}

	@Override
	public void stop() {
		watched.stop();
		gone();
	}
}
