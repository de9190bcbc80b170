package org.parascope.watch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.parascope.ParascopeException;
import org.parascope.QueueStatus;
import org.parascope.Ticker;
import org.parascope.aws.AwsClients;
import org.parascope.aws.AwsErrors;
import org.parascope.aws.AwsFailures;
import org.parascope.aws.ecs.MonitorService;
import org.parascope.aws.ecs.MonitorTask;
import org.parascope.aws.store.S3RunStateStore;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;
import org.parascope.monitor.Monitor;
import org.parascope.monitor.MonitorListener;
import org.parascope.monitor.MonitorOptions;
import org.parascope.monitor.RecordedReading;
import org.parascope.run.DetachedMonitor;
import org.parascope.run.RunKeys;
import org.parascope.run.RunState;
import org.parascope.run.RunStateStore;

import software.amazon.awssdk.core.exception.SdkException;

/**
 * The detached monitor of a run, an ECS service on a copy of the run's state in S3 (monitor --detach,
 * AUTO_MONITOR): starting it, following it from the local state file, and finding it. Once it took a run over,
 * the local state file names it, and a monitor on that file only follows it.
 */
public final class DetachedMonitoring {

	private final Config config;
	private final AwsClients aws;

	public DetachedMonitoring(Config config, AwsClients aws) {
		this.config = config;
		this.aws = aws;
	}

	/** Whether a detached monitor took this run over: then {@link #follow} follows it. */
	public boolean has(Path stateFile) {
		return RunStateStore.local(stateFile).read().detachedState().isPresent();
	}

	/**
	 * Starts the monitor as an ECS service of one Fargate task, on a copy of the state file in S3 (a copy
	 * left by an earlier detached monitor of this run is continued; one of an earlier run is replaced). The
	 * local state file records it; if that cannot be written the service is deleted again.
	 */
	public DetachedMonitor detach(Path stateFile, MonitorOptions options, List<String> subnets, Consumer<String> report) {
		RunStateStore local = RunStateStore.local(stateFile);
		RunState state = local.read();
		config.string(ConfigKey.DOCKERHUB_TAG); // the monitor's image: checked before anything changes
		if (state.tornDown()) throw new ParascopeException(stateFile + ": this run was already torn down");
		String service = MonitorService.name(state.app(), state.fleetId());
		String location = MonitorTask.stateLocation(state, stateFile.getFileName().toString());
		Optional<MonitorService.State> running = service(service).filter(MonitorService.State::active);
		if (running.isPresent()) {
			local.write(state.withDetachedMonitor(service, location));
			report.accept("already detached: ECS service " + service + " monitors this run");
			return new DetachedMonitor(service, MonitorTask.CLUSTER, location);
		}
		RunStateStore remote = S3RunStateStore.of(aws.s3(), location);
		// The copy's key is the state file's name, the same for every run of the app: continue only this run's.
		Optional<RunState> earlier = remote.exists() ? Optional.of(remote.read()) : Optional.empty();
		RunState shared = earlier.filter(e -> e.fleetId().equals(state.fleetId()) && !e.tornDown()).orElse(state)
			.withDetachedMonitor(service, location);
		remote.write(shared);
		List<String> args = new ArrayList<>(List.of("--interval", Long.toString(options.interval().toSeconds())));
		if (options.cheapest()) args.add("--cheapest");
		MonitorTask.Started started;
		try {
			started = new MonitorTask(aws, config, Ticker.SYSTEM).start(shared, location, args, subnets);
		}
		catch (SdkException e) {
			throw AwsErrors.failure("starting the detached monitor", e);
		}
		try {
			local.write(state.withDetachedMonitor(started.service(), location));
		}
		catch (RuntimeException e) {
			// Undone: a monitor the state file does not name would be found only by a cleanup without it.
			new MonitorService(aws).delete(started.service());
			throw new ParascopeException(stateFile + ": the detached monitor's service " + started.service() + " was "
				+ "deleted again, as this state file could not record it: " + e.getMessage(), e);
		}
		report.accept("detached: ECS service " + started.service() + " (Fargate, cluster " + MonitorTask.CLUSTER
			+ ", one task, replaced if it dies) monitors this run; its state: " + location + "; its log: log group "
			+ shared.logGroup() + ", streams monitor/...");
		return new DetachedMonitor(started.service(), MonitorTask.CLUSTER, started.stateLocation());
	}

	/**
	 * Follows the detached monitor of a run from its state in S3: one note per reading it records
	 * (tasks done, machines, cost so far), until it has torn the run down. Stops (outcome STOPPED) when
	 * its ECS service is gone with the run not torn down, or when interrupted.
	 */
	public Monitor.Outcome follow(Path stateFile, Duration interval, MonitorListener listener) {
		RunStateStore local = RunStateStore.local(stateFile);
		RunState state = local.read();
		Optional<Monitor.Outcome> finished = Monitor.ifTornDown(local, state, listener);
		if (finished.isPresent()) return finished.get();
		if (state.detachedState().isEmpty() || state.detachedService().isEmpty()) {
			throw new ParascopeException(stateFile + ": no detached monitor watches this run; 'parascope monitor' watches "
				+ "it from here, 'parascope monitor --detach' hands it to one");
		}
		String remote = state.detachedState().get();
		String service = state.detachedService().get();
		listener.note("following the detached monitor: ECS service " + service + " (cluster " + MonitorTask.CLUSTER
			+ "; ECS replaces its container if it dies), state " + remote + ", log group " + state.logGroup()
			+ " (streams monitor/...)");
		String seen = null;
		while (true) {
			RunState current = readRemote(remote, listener);
			Map<String, String> m = current.extra();
			String at = m.get(RunKeys.LAST_READING);
			if (at != null && !at.equals(seen)) {
				seen = at;
				RecordedReading.of(current).ifPresent(listener::reading);
				double hours = Double.parseDouble(m.getOrDefault(RunKeys.MACHINE_HOURS, "0"));
				listener.note(LocalTime.ofInstant(Instant.ofEpochMilli(Long.parseLong(at)), ZoneId.systemDefault()).withNano(0)
					+ "  " + m.get(RunKeys.DONE) + "/" + m.get(RunKeys.TASKS) + " done | fleet " + m.get(RunKeys.LAST_MACHINES)
					+ " machines | cost so far <= $" + String.format("%.2f", hours * config.decimal(ConfigKey.MACHINE_PRICE))
					+ " (the detached monitor's reading)");
			}
			// After its last reading, which says how the run ended.
			if (current.tornDown()) return finished(local, state, listener);
			if (service(service).filter(MonitorService.State::active).isEmpty()) {
				// The monitor deletes its service only after recording the teardown: read the state once more.
				if (readRemote(remote, listener).tornDown()) return finished(local, state, listener);
				String why = "the detached monitor's ECS service " + service + " is gone, and the run is not torn down";
				listener.note(why + ": 'parascope monitor --detach' starts another, which carries on from " + remote);
				return new Monitor.Outcome(Monitor.Ending.STOPPED, Optional.empty(), Optional.of(why), Optional.empty());
			}
			try {
				Ticker.SYSTEM.sleep(interval);
			}
			catch (Ticker.Interrupted e) {
				return new Monitor.Outcome(Monitor.Ending.STOPPED, Optional.empty(), Optional.of("told to stop following"),
					Optional.empty());
			}
		}
	}

	/**
	 * A detached monitor owns the run: a monitor on the local state file only reports what it did (recording the
	 * teardown locally too), or refuses to compete.
	 */
	Monitor.Outcome finished(RunStateStore local, RunState state, MonitorListener listener) {
		String remote = state.detachedState().orElseThrow();
		RunState current = S3RunStateStore.at(aws.s3(), remote).read();
		if (!current.tornDown()) {
			throw new ParascopeException(local.location() + ": this run is watched by the detached monitor (ECS service "
				+ state.detachedService().orElse(null) + ", state " + remote + "); 'parascope monitor --follow' "
				+ "follows it, 'parascope cleanup' tears it down now");
		}
		local.write(state.markedTornDown(current.tornDownAt().orElseGet(Instant::now)));
		listener.note("the detached monitor tore this run down (" + remote + ")");
		return new Monitor.Outcome(Monitor.Ending.ALREADY_TORN_DOWN, Optional.empty());
	}

	/** The detached monitor {@code stateFile} names, if its run is not torn down: for the queue's status. */
	public Optional<QueueStatus.DetachedMonitor> of(Path stateFile) {
		if (!Files.isRegularFile(stateFile)) return Optional.empty();
		RunState state;
		try {
			state = RunStateStore.local(stateFile).read();
		}
		catch (ParascopeException unreadable) {
			return Optional.empty(); // the queue's status does not depend on it; monitor and cleanup say what is wrong
		}
		Optional<String> service = state.detachedService();
		if (service.isEmpty() || state.tornDown()) return Optional.empty();
		return Optional.of(new QueueStatus.DetachedMonitor(service.get(), MonitorTask.CLUSTER,
			state.detachedState().orElse(null),
			service(service.get()).map(s -> new QueueStatus.Service(s.status(), s.running(), s.desired()))));
	}

	private RunState readRemote(String remote, MonitorListener listener) {
		return Monitor.readState(S3RunStateStore.at(aws.s3(), remote), listener, Ticker.SYSTEM, AwsFailures.INSTANCE);
	}

	/** The detached monitor's service as ECS describes it; empty when there is none. */
	private Optional<MonitorService.State> service(String name) {
		try {
			return new MonitorService(aws).describe(name);
		}
		catch (SdkException e) {
			throw AwsErrors.failure("looking for the detached monitor's service " + name, e);
		}
	}
}
