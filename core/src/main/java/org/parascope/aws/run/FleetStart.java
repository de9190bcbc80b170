package org.parascope.aws.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.parascope.ParascopeException;
import org.parascope.aws.AwsClients;
import org.parascope.aws.AwsErrors;
import org.parascope.aws.Names;
import org.parascope.aws.Poll;
import org.parascope.aws.ecs.WorkerService;
import org.parascope.aws.fleet.AwsFleet;
import org.parascope.aws.fleet.ConfigMachines;
import org.parascope.aws.fleet.FleetChecks;
import org.parascope.aws.fleet.FleetDiagnosis;
import org.parascope.aws.fleet.FleetEvent;
import org.parascope.aws.fleet.FleetFile;
import org.parascope.aws.fleet.FleetKind;
import org.parascope.aws.fleet.FleetPlan;
import org.parascope.aws.fleet.IdleAlarms;
import org.parascope.aws.logs.Dashboard;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;
import org.parascope.fleet.FleetState;
import org.parascope.progress.Durations;
import org.parascope.run.RunKeys;
import org.parascope.run.RunState;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * start-fleet: what DCP's {@code startCluster} does, with checks first and nothing left behind. In
 * order: check the config, the fleet description and the ECS service; request the fleet (its launch
 * template first); create the dashboard; write the state file; scale the service to
 * CLUSTER_MACHINES x TASKS_PER_MACHINE containers; wait for the machines. If a step after the
 * request fails, or no machine can start, every step done is undone, the last first: each resource
 * through the owner the teardown removes it with too ({@link AwsFleet#stop}: the fleet and its launch
 * template; {@link Dashboard}; {@link WorkerService}).
 */
public final class FleetStart {

	/**
	 * @param state the fleet's machines when start-fleet returned
	 * @param dashboard the dashboard's name, if one was created
	 * @param warnings what the user should know although the fleet started
	 */
	public record Result(String fleetId, FleetKind kind, FleetState state, Path stateFile, Optional<String> dashboard,
		List<String> warnings) {}

	private final Config config;
	private final AwsClients aws;
	private final Names names;
	private final WorkerService workers;
	private final Consumer<String> status;
	private final List<String> warnings = new ArrayList<>();
	/** What to undo if a later step fails, the last step first. */
	private final Deque<Runnable> undo = new ArrayDeque<>();

	private FleetStart(Config config, AwsClients aws, Consumer<String> status) {
		this.config = config;
		this.aws = aws;
		this.names = Names.of(config);
		this.workers = new WorkerService(aws.ecs(), names.cluster(), names.service());
		this.status = status;
	}

	/**
	 * Starts the fleet.
	 *
	 * @param fleetFile a DCP/DF fleet file (a Spot Fleet request), or null to build an EC2 Fleet from the config
	 * @param dir where the state file goes, under files/ as in DCP
	 * @param wait how long to wait for the machines; zero returns once the fleet is requested
	 * @param status told what happens, one line at a time
	 */
	public static Result run(Config config, AwsClients aws, Path fleetFile, Path dir, Duration wait, Consumer<String> status) {
		return new FleetStart(config, aws, status).start(fleetFile, dir, wait);
	}

	private Result start(Path fleetFile, Path dir, Duration wait) {
		int machines = config.integer(ConfigKey.CLUSTER_MACHINES);
		if (machines < 1) throw new ParascopeException("CLUSTER_MACHINES: expected at least 1 machine, got " + machines);
		if (!config.has(ConfigKey.AWS_BUCKET)) {
			throw new ParascopeException("AWS_BUCKET is not set: the monitor exports the run's logs there");
		}
		Path stateFile = names.stateFile(dir);
		refuseIfRunning(stateFile);
		FleetPlan plan = fleetFile != null ? FleetFile.read(fleetFile, config, warnings::add) : ConfigMachines.plan(aws, config);
		String source = fleetFile != null ? fleetFile.toString() : "the config (no fleet file given)";
		FleetChecks.check(aws, plan);
		Service service = service();
		int containers = machines * config.integer(ConfigKey.TASKS_PER_MACHINE);

		AwsFleet fleet = new AwsFleet(aws, plan, names.launchTemplate());
		Instant requested = Instant.now();
		try {
			fleet.start(machines);
		}
		catch (ParascopeException e) {
			throw refused(e, plan, source);
		}
		String id = fleet.id().orElseThrow();
		undo.push(fleet::stop);
		status.accept("Requested " + plan.kind() + " " + id + ": " + machines + " machine" + (machines == 1 ? "" : "s")
			+ " (" + String.join(", ", plan.machines().instanceTypes()) + ") at up to $" + plan.machines().maxPrice()
			+ " per machine-hour.");
		try {
			Optional<String> dashboard = dashboard(plan.kind(), id);
			writeState(stateFile, fleet, plan, requested, dashboard);
			scaleService(service, containers);
			FleetState state = wait.isZero() ? fleet.describe() : waitForMachines(fleet, plan, machines, requested, wait, source);
			idleAlarms(fleet);
			status.accept("The fleet expires " + config.integer(ConfigKey.MAX_RUN_HOURS) + " hours from now (MAX_RUN_HOURS), at "
				+ requested.plus(Duration.ofHours(config.integer(ConfigKey.MAX_RUN_HOURS))).truncatedTo(ChronoUnit.SECONDS)
				+ ": AWS then terminates its machines, whatever else happens.");
			return new Result(id, plan.kind(), state, stateFile, dashboard, List.copyOf(warnings));
		}
		catch (RuntimeException e) {
			throw undone(e);
		}
	}

	/** A request AWS refused at once (nothing was created): the error, with what it means. */
	private static ParascopeException refused(ParascopeException e, FleetPlan plan, String source) {
		if (!(e.getCause() instanceof AwsServiceException aws) || aws.awsErrorDetails() == null
			|| aws.awsErrorDetails().errorCode() == null) {
			return e;
		}
		FleetEvent event = new FleetEvent(Instant.now(), aws.awsErrorDetails().errorCode(), aws.awsErrorDetails().errorMessage());
		return new ParascopeException("AWS refused to start the " + plan.kind() + "; nothing was created. "
			+ FleetDiagnosis.of(List.of(event), 0).orElseThrow().explain(plan.machines(), source), e);
	}

	/** A state file whose fleet still runs belongs to a run in progress: starting another would orphan it. */
	private void refuseIfRunning(Path stateFile) {
		if (!Files.exists(stateFile)) return;
		RunState previous;
		AwsFleet fleet;
		try {
			previous = RunState.read(stateFile);
			fleet = AwsFleet.open(aws, previous);
		}
		catch (ParascopeException e) {
			warnings.add("replacing " + stateFile + ", which could not be read (" + e.getMessage() + ")");
			return;
		}
		String region = previous.region().orElse(aws.region().id());
		if (!region.equals(aws.region().id())) {
			throw new ParascopeException(stateFile + ": the earlier start-fleet ran in " + region + ", this one would run in "
				+ aws.region().id() + ": end that run first ('parascope --region " + region + " cleanup'), or use another folder");
		}
		FleetState state = fleet.describe();
		if (state.target() > 0 || state.running() > 0) {
			throw new ParascopeException(stateFile + ": the fleet of an earlier start-fleet, " + previous.fleetId()
				+ ", is still running (" + state.running() + " machines): let 'parascope monitor " + stateFile
				+ "' finish that run, or end it with 'parascope cleanup', before starting another");
		}
	}

	/**
	 * The safety net: an idle alarm on each machine up now (see {@link IdleAlarms}); the monitor adds
	 * them to machines that come later. Without them the run goes on, bounded by the fleet's expiry.
	 */
	private void idleAlarms(AwsFleet fleet) {
		try {
			List<String> created = new IdleAlarms(aws, names.app()).ensure(fleet.machines());
			if (!created.isEmpty()) {
				status.accept("Idle alarms on " + created.size() + " machine" + (created.size() == 1 ? "" : "s") + ": each "
					+ "terminates its machine after " + IdleAlarms.IDLE_MINUTES + " minutes below " + IdleAlarms.CPU_PERCENT
					+ " % CPU.");
			}
		}
		catch (SdkException e) {
			warnings.add("no idle alarms on the machines (" + AwsErrors.explain(e) + "): the monitor tries again at each "
				+ "reading, and the fleet's expiry (MAX_RUN_HOURS) bounds the machines meanwhile");
		}
	}

	/** The service setup created; a fleet without it would run machines with nothing to do. */
	private Service service() {
		String missing = "ECS service " + names.service() + " not found in cluster " + names.cluster()
			+ ": run 'parascope setup' first";
		try {
			return workers.active().orElseThrow(() -> new ParascopeException(missing));
		}
		catch (SdkException e) {
			throw AwsErrors.failure("looking up ECS service " + names.service(), e);
		}
	}

	private Optional<String> dashboard(FleetKind kind, String fleetId) {
		if (!config.bool(ConfigKey.CREATE_DASHBOARD)) return Optional.empty();
		try {
			String name = Dashboard.put(aws.cloudWatch(), config, names, kind, fleetId);
			undo.push(() -> Dashboard.removeIfPresent(aws.cloudWatch(), name).orFail());
			return Optional.of(name);
		}
		catch (ParascopeException e) {
			// The dashboard only shows the run; the run itself goes on without it.
			warnings.add("no dashboard: " + e.getMessage());
			return Optional.empty();
		}
	}

	private void writeState(Path stateFile, AwsFleet fleet, FleetPlan plan, Instant started, Optional<String> dashboard) {
		Map<String, String> extra = new LinkedHashMap<>();
		extra.put(RunKeys.FLEET_KIND, plan.kind().key());
		extra.put(RunKeys.AWS_REGION, aws.region().id());
		fleet.launchTemplateId().ifPresent(t -> extra.put(RunKeys.LAUNCH_TEMPLATE_ID, t));
		extra.put(RunKeys.ECS_SERVICE, names.service());
		extra.put(RunKeys.TASK_FAMILY, names.taskFamily());
		extra.put(RunKeys.SQS_DEAD_LETTER_QUEUE, names.deadLetterQueue());
		extra.put(RunKeys.INSTANCE_LOG_GROUP, names.instanceLogGroup());
		dashboard.ifPresent(d -> extra.put(RunKeys.DASHBOARD, d));
		extra.put(RunKeys.CLUSTER_MACHINES, Integer.toString(config.integer(ConfigKey.CLUSTER_MACHINES)));
		extra.put(RunKeys.TASKS_PER_MACHINE, Integer.toString(config.integer(ConfigKey.TASKS_PER_MACHINE)));
		extra.put(RunKeys.MACHINE_TYPES, String.join(",", plan.machines().instanceTypes()));
		extra.put(RunKeys.MACHINE_PRICE, plan.machines().maxPrice());
		new RunState(fleet.id().orElseThrow(), names.app(), names.cluster(), names.queue(),
			config.string(ConfigKey.AWS_BUCKET), names.logGroup(), started, config.bool(ConfigKey.CLEAN_DASHBOARD), extra)
			.write(stateFile);
		undo.push(() -> {
			try {
				Files.deleteIfExists(stateFile);
			}
			catch (IOException e) {
				throw new ParascopeException(stateFile + ": cannot delete: " + e.getMessage());
			}
		});
	}

	private void scaleService(Service service, int containers) {
		int before = service.desiredCount();
		setDesiredCount(containers);
		undo.push(() -> setDesiredCount(before));
		status.accept("Service " + names.service() + ": " + containers + " container" + (containers == 1 ? "" : "s") + ".");
	}

	private void setDesiredCount(int count) {
		try {
			workers.scale(count);
		}
		catch (SdkException e) {
			throw AwsErrors.failure("setting ECS service " + names.service() + " to " + count + " containers", e);
		}
	}

	/**
	 * Polls until every machine runs. A configuration problem ends the wait at once; capacity and
	 * quota problems may pass, so the wait goes on. At the deadline, a fleet with some machines is
	 * kept (it keeps asking AWS for the rest) with a warning; one with none is an error.
	 */
	private FleetState waitForMachines(AwsFleet fleet, FleetPlan plan, int machines, Instant requested, Duration wait,
		String source) {
		status.accept("Waiting up to " + Durations.readable(wait) + " for the machines...");
		Poll poll = new Poll(wait);
		// DCP looks a minute back too: the clocks of this machine and AWS may differ.
		Instant since = requested.minusSeconds(60);
		FleetState state = fleet.describe();
		int reported = -1;
		Optional<FleetDiagnosis> diagnosis = Optional.empty();
		while (state.running() < machines) {
			if (state.running() != reported) {
				status.accept(state.running() + " of " + machines + " machines running.");
				reported = state.running();
			}
			diagnosis = FleetDiagnosis.of(fleet.problems(since), state.running());
			if (diagnosis.isPresent() && !diagnosis.get().mayPass()) {
				throw new ParascopeException(plan.kind() + " " + fleet.id().orElseThrow() + " cannot start machines. "
					+ diagnosis.get().explain(plan.machines(), source));
			}
			if (!poll.another()) break;
			state = fleet.describe();
		}
		if (state.running() >= machines) {
			status.accept(state.running() + " of " + machines + " machines running.");
			return state;
		}
		String why = diagnosis.map(d -> " " + d.explain(plan.machines(), source))
			.orElse(" AWS reported no problem; a longer --wait may be enough.");
		if (state.running() == 0) {
			throw new ParascopeException("no machine started within " + Durations.readable(wait) + "." + why);
		}
		warnings.add("only " + state.running() + " of " + machines + " machines started within " + Durations.readable(wait)
			+ "; the fleet keeps asking AWS for the rest." + why);
		return state;
	}

	/** Undoes every step done, the last first, and says so in the error. */
	private ParascopeException undone(RuntimeException cause) {
		List<String> failed = new ArrayList<>();
		while (!undo.isEmpty()) {
			try {
				undo.pop().run();
			}
			catch (RuntimeException e) {
				failed.add(e.getMessage());
			}
		}
		String message = cause instanceof ParascopeException ? cause.getMessage()
			: cause instanceof SdkException sdk ? AwsErrors.failure("starting the fleet", sdk).getMessage() : String.valueOf(cause);
		String outcome = failed.isEmpty() ? "\nThe fleet was cancelled and everything start-fleet created was removed."
			: "\nUndoing start-fleet failed too; check for leftovers with 'parascope cleanup':\n  " + String.join("\n  ", failed);
		return new ParascopeException(message + outcome, cause);
	}
}
