package org.parascope.watch;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.parascope.ParascopeException;
import org.parascope.Ticker;
import org.parascope.TransientException;
import org.parascope.aws.AwsClients;
import org.parascope.aws.AwsErrors;
import org.parascope.aws.AwsFailures;
import org.parascope.aws.Names;
import org.parascope.aws.TeardownPlan;
import org.parascope.aws.ecs.MonitorService;
import org.parascope.aws.fleet.AwsFleet;
import org.parascope.aws.fleet.FleetMachines;
import org.parascope.aws.queue.SqsTaskQueue;
import org.parascope.aws.run.Teardown;
import org.parascope.aws.store.S3ObjectStore;
import org.parascope.aws.store.S3RunStateStore;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;
import org.parascope.fleet.Fleet;
import org.parascope.machines.MachineLog;
import org.parascope.monitor.Monitor;
import org.parascope.monitor.MonitorListener;
import org.parascope.monitor.MonitorOptions;
import org.parascope.queue.QueueCounts;
import org.parascope.queue.TaskQueue;
import org.parascope.run.RunState;
import org.parascope.run.RunStateStore;

import software.amazon.awssdk.core.exception.SdkException;

/**
 * Monitoring a run on AWS (parascope monitor, Fiji's Monitor Job): the {@link Monitor} on the run's queue, fleet
 * and state, its teardown the AWS one, then the run's report. A run a detached monitor took over is left to it
 * ({@link DetachedMonitoring#finished}); the detached monitor itself, on the S3 copy, deletes its own ECS service
 * last.
 */
public final class RunMonitor {

	private final Config config;
	private final AwsClients aws;
	private final Function<RunState, String> report;

	/** @param report stores the report of a run torn down and says where; throws when it cannot be made */
	public RunMonitor(Config config, AwsClients aws, Function<RunState, String> report) {
		this.config = config;
		this.aws = aws;
		this.report = report;
	}

	/**
	 * The monitor of a state file on AWS, on the given clock. The detached monitor (on the S3 copy) deletes
	 * its own ECS service last, once the run is torn down: ECS would otherwise start it again.
	 */
	public Monitor.Outcome monitor(RunStateStore store, MonitorOptions options, MonitorListener listener, Ticker ticker) {
		Monitor.Outcome outcome = watch(store, options, listener, ticker);
		if (store.isS3() && outcome.ending() != Monitor.Ending.STOPPED) removeOwnService(store, listener);
		return outcome;
	}

	private void removeOwnService(RunStateStore store, MonitorListener listener) {
		String name = "of this run";
		try {
			RunState state = store.read();
			name = state.detachedService().orElse(MonitorService.name(state.app(), state.fleetId()));
			if (new MonitorService(aws).delete(name)) {
				listener.note("deleted: monitor service " + name + " (this monitor: ECS stops its container now)");
			}
		}
		catch (SdkException | ParascopeException e) {
			listener.note("failed: deleting monitor service " + name + ": " + AwsErrors.explain(e) + " (ECS starts this "
				+ "monitor again, which tries again; 'parascope cleanup' deletes it)");
		}
	}

	private Monitor.Outcome watch(RunStateStore store, MonitorOptions options, MonitorListener listener, Ticker ticker) {
		RunState state = Monitor.readState(store, listener, ticker, AwsFailures.INSTANCE);
		Optional<Monitor.Outcome> finished = Monitor.ifTornDown(store, state, listener);
		if (finished.isPresent()) return finished.get();
		if (!store.isS3() && state.detachedState().isPresent()) {
			return new DetachedMonitoring(config, aws).finished(store, state, listener);
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
	private Optional<FleetMachines> recordMachines(RunState state, Fleet fleet, Ticker ticker, Consumer<String> note) {
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
	public Monitor.Outcome monitor(RunStateStore store, MonitorOptions options, MonitorListener listener,
		Supplier<QueueCounts> queue, Fleet fleet, Ticker ticker) {
		return monitor(store, options, listener, queue, fleet, ticker, () -> {});
	}

	/** @param fleetGone told once the teardown has ended the fleet, before the report is made */
	private Monitor.Outcome monitor(RunStateStore store, MonitorOptions options, MonitorListener listener,
		Supplier<QueueCounts> queue, Fleet fleet, Ticker ticker, Runnable fleetGone) {
		// A monitor on the S3 copy is the detached one, which must not delete its own service halfway.
		boolean detached = store.isS3();
		Runnable teardown = () -> {
			RunState state = store.read();
			requireComplete(new Teardown(aws, TeardownPlan.of(config, Optional.of(state)), listener::note,
				Teardown.Waits.DEFAULT, ticker, detached).run());
			fleetGone.run();
			reportAfterTeardown(state, listener::note);
		};
		return new Monitor(queue, fleet, store, options, listener, teardown, ticker, AwsFailures.INSTANCE).run();
	}

	/**
	 * Once the workers are gone (their last trace batches written), the run's report goes into AWS_BUCKET
	 * and its location is said. A report that cannot be made does not fail the teardown.
	 */
	private void reportAfterTeardown(RunState state, Consumer<String> note) {
		if (config.string(ConfigKey.AWS_BUCKET) == null) return;
		try {
			note.accept("report: " + report.apply(state));
		}
		catch (RuntimeException e) {
			note.accept("report: not written (" + e.getMessage() + "); 'parascope report' makes it from the trace");
		}
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
	private TaskQueue monitoredQueue(RunState state) {
		String dead = state.deadLetterQueue().orElse(Names.of(config).deadLetterQueue());
		return SqsTaskQueue.open(aws.sqs(), state.queue(), dead, aws.region().id());
	}

	/** The store of a state location: an s3:// URL (the detached monitor's copy) or a local path. */
	public RunStateStore store(String location) {
		return S3RunStateStore.at(aws.s3(), location);
	}
}
