package org.parascope.aws.run;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import org.parascope.ParascopeException;
import org.parascope.Ticker;
import org.parascope.aws.AwsClients;
import org.parascope.aws.AwsErrors;
import org.parascope.aws.Removal;
import org.parascope.aws.TeardownPlan;
import org.parascope.aws.ecs.MonitorService;
import org.parascope.aws.ecs.MonitorTask;
import org.parascope.aws.ecs.WorkerService;
import org.parascope.aws.fleet.AwsFleet;
import org.parascope.aws.fleet.FleetKind;
import org.parascope.aws.fleet.IdleAlarms;
import org.parascope.aws.fleet.LaunchTemplates;
import org.parascope.aws.logs.Dashboard;
import org.parascope.aws.logs.LogExport;
import org.parascope.aws.queue.SqsQueue;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ClusterContainsContainerInstancesException;
import software.amazon.awssdk.services.ecs.model.ClusterContainsServicesException;
import software.amazon.awssdk.services.ecs.model.ClusterContainsTasksException;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

/**
 * Removes a run's resources, in DCP's order: the service to 0, the app's alarms, the fleet (its
 * machines terminated) and launch template, the queue, the service, the task definitions, the
 * cluster if nothing else uses it, the dashboard, then exports the logs to S3. The detached monitor's
 * service is deleted first, so that it does not race the teardown (the detached monitor itself deletes
 * it last, after its teardown, see {@link MonitorService}).
 *
 * <p>The teardown is the order and the reporting; each resource's owner removes it ({@link AwsFleet},
 * {@link LaunchTemplates}, {@link WorkerService}, {@link MonitorService}, {@link IdleAlarms},
 * {@link SqsQueue}, {@link Dashboard}; {@link LogExport} exports the logs), the same owners start-fleet's
 * undo uses. Every step accepts what is already gone, so a teardown can be repeated; each reports one line
 * per resource, {@code <what happened>: <resource> [(why)]}, e.g. {@code deleted: queue AppQueue},
 * {@code already gone: service AppService}, {@code kept: cluster default (...)}. A step that fails
 * is reported ({@code failed: ...}) and the others still run.
 */
public final class Teardown {

	/** How long to wait for what AWS does in the background, and how often to look. */
	public record Waits(Duration poll, Duration clusterTimeout, Duration exportTimeout) {
		public static final Waits DEFAULT = new Waits(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(15));
	}

	/**
	 * @param problems the steps that failed or could not finish; empty when the teardown is complete
	 * @param weather  when every problem is one waiting can fix (throttling, 5xx, a cluster still
	 *                 draining): the last such failure, for whoever retries the teardown later
	 */
	public record Result(List<String> lines, List<String> problems, Optional<Throwable> weather) {
		public boolean complete() {
			return problems.isEmpty();
		}
	}

	/** Tries of one step whose failures are transient, before the step is reported as failed. */
	static final int STEP_TRIES = 5;
	/** The longest pause between a step's tries. */
	private static final Duration LONGEST_STEP_PAUSE = Duration.ofMinutes(1);

	private final AwsClients aws;
	private final TeardownPlan plan;
	private final Consumer<String> report;
	private final Waits waits;
	private final Ticker ticker;
	private final boolean inDetachedMonitor;
	private final List<String> lines = new ArrayList<>();
	private final List<String> problems = new ArrayList<>();
	private Throwable lastWeather;
	private boolean permanentProblem;
	/** The fleet's machines, whose ECS registrations go with them. */
	private final Set<String> fleetInstances = new HashSet<>();

	/**
	 * @param inDetachedMonitor this teardown runs in a monitor on the S3 copy of the state: the detached
	 *        monitor, whose service must not stop it halfway; it deletes its service once the state says
	 *        the run is torn down
	 */
	public Teardown(AwsClients aws, TeardownPlan plan, Consumer<String> report, Waits waits, Ticker ticker,
		boolean inDetachedMonitor) {
		this.aws = aws;
		this.plan = plan;
		this.report = report;
		this.waits = waits;
		this.ticker = ticker;
		this.inDetachedMonitor = inDetachedMonitor;
	}

	public Result run() {
		WorkerService service = new WorkerService(aws.ecs(), plan.cluster(), plan.service());
		step("deleting the detached monitor's service", this::deleteMonitorServices);
		step("stopping the detached monitor", this::stopMonitorTasks);
		step("scaling service " + plan.service() + " to 0", () -> reportIfRemoved(service.scaleToZero()));
		step("deleting alarms of " + plan.app(), () -> report(new IdleAlarms(aws, plan.app()).removeAll()));
		step("stopping the fleet", this::deleteFleet);
		step("deleting launch template " + plan.launchTemplate(),
			() -> report(LaunchTemplates.removeOfApp(aws.ec2(), plan.app(), plan.launchTemplate())));
		step("deleting queue " + plan.queue(), () -> report(SqsQueue.removeIfPresent(aws.sqs(), plan.queue())));
		step("deleting dead-letter queue " + plan.deadLetterQueue(),
			() -> report(SqsQueue.removeDeadLettersIfEmpty(aws.sqs(), plan.deadLetterQueue())));
		step("deleting service " + plan.service(), () -> report(service.removeIfPresent()));
		step("deleting task definitions " + plan.taskFamily(), () -> deleteTaskDefinitions(plan.taskFamily()));
		step("deleting task definitions " + plan.monitorFamily(), () -> deleteTaskDefinitions(plan.monitorFamily()));
		step("deleting cluster " + plan.cluster(), this::deleteCluster);
		step("deleting dashboard " + plan.dashboard(), this::deleteDashboard);
		LogExport logs = new LogExport(aws, plan.app(), ticker, waits.poll(), waits.exportTimeout());
		for (String group : plan.logGroups()) {
			step("exporting log group " + group, () -> report(logs.export(group, plan.bucket(), plan.logsFrom())));
		}
		Optional<Throwable> weather = permanentProblem ? Optional.empty() : Optional.ofNullable(lastWeather);
		return new Result(List.copyOf(lines), List.copyOf(problems), problems.isEmpty() ? Optional.empty() : weather);
	}

	/**
	 * Runs one step; a failure that waiting can fix is tried again, {@value #STEP_TRIES} times in all
	 * with growing pauses, so that a throttled or briefly unreachable API does not leave the run half
	 * torn down. Every step looks at what exists before acting, so a repeated step does no harm.
	 */
	private void step(String doing, Runnable action) {
		Duration pause = waits.poll();
		for (int tries = 1;; tries++) {
			try {
				action.run();
				return;
			}
			catch (SdkException | ParascopeException e) {
				if (e instanceof Ticker.Interrupted) throw e;
				boolean weather = AwsErrors.isTransient(e);
				if (weather && tries < STEP_TRIES) {
					say("retrying: " + doing + " (" + AwsErrors.explain(e) + "), again in " + pause.toSeconds() + " s");
					ticker.sleep(pause);
					pause = pause.multipliedBy(2).compareTo(LONGEST_STEP_PAUSE) > 0 ? LONGEST_STEP_PAUSE : pause.multipliedBy(2);
					continue;
				}
				problem("failed: " + doing + ": " + AwsErrors.explain(e), weather ? e : null);
				return;
			}
		}
	}

	private void say(String line) {
		lines.add(line);
		report.accept(line);
	}

	private void report(List<Removal> removals) {
		removals.forEach(this::report);
	}

	/** Says what happened; a failure is thrown as it came, for {@link #step} to try again or report. */
	private void report(Removal removal) {
		say(removal.orThrow().line());
	}

	/** For steps that are silent when there was nothing to do. */
	private void reportIfRemoved(Removal removal) {
		if (removal.orThrow().removed()) say(removal.line());
	}

	private void report(LogExport.Exported exported) {
		if (exported.problem()) problem(exported.line(), exported.weather().orElse(null));
		else say(exported.line());
	}

	/** A problem waiting cannot fix. */
	private void problem(String line) {
		problem(line, null);
	}

	/** @param weather the transient failure behind the problem, null when waiting will not fix it */
	private void problem(String line, Throwable weather) {
		problems.add(line);
		if (weather != null) lastWeather = weather;
		else permanentProblem = true;
		say(line);
	}

	// The detached monitor

	/**
	 * The run's monitor service (named after its fleet), or without a state file every monitor service of
	 * the app; deleted before its task is stopped, or ECS would start another.
	 */
	private void deleteMonitorServices() {
		if (inDetachedMonitor) return;
		MonitorService services = new MonitorService(aws);
		List<String> names = plan.fleetId().map(id -> List.of(MonitorService.name(plan.app(), id)))
			.orElseGet(() -> services.ofApp(plan.app()));
		for (String name : names) reportIfRemoved(services.removeIfPresent(name));
	}

	/** The monitor's tasks still running: those of a service just deleted, which ECS stops within 30 s anyway. */
	private void stopMonitorTasks() {
		if (inDetachedMonitor) return;
		List<String> running;
		try {
			running = aws.ecs().listTasks(b -> b.cluster(MonitorTask.CLUSTER).family(plan.monitorFamily())
				.desiredStatus(DesiredStatus.RUNNING)).taskArns();
		}
		catch (ClusterNotFoundException e) {
			return; // no cluster, no detached monitor
		}
		for (String task : running) {
			aws.ecs().stopTask(b -> b.cluster(MonitorTask.CLUSTER).task(task).reason("parascope cleanup"));
			say("stopped: monitor task " + task);
		}
	}

	// Fleet

	/** The state file's fleet, or without one the live EC2 Fleets that launch one of the app's launch templates. */
	private void deleteFleet() {
		List<String> ids = plan.fleetId().map(List::of)
			.orElseGet(() -> AwsFleet.liveEc2FleetsLaunching(aws.ec2(), LaunchTemplates.ofApp(aws.ec2(), plan.app())));
		if (ids.isEmpty()) {
			say("not found: fleet of " + plan.app() + " (no state file names it, and no EC2 Fleet uses launch template "
				+ plan.launchTemplate() + ")");
			return;
		}
		for (String id : ids) {
			if (FleetKind.ofId(id).isEmpty()) {
				problem("failed: fleet " + id + ": neither a Spot Fleet request (sfr-...) nor an EC2 Fleet (fleet-...)");
				continue;
			}
			AwsFleet.FleetRemoval removal = AwsFleet.open(aws, id).removeIfPresent();
			fleetInstances.addAll(removal.terminating());
			report(removal.removal());
		}
	}

	// Task definitions

	/** Deregisters each active revision, then deletes every inactive one (they would stay listed for ever). */
	private void deleteTaskDefinitions(String family) {
		List<String> active = taskDefinitions(family, TaskDefinitionStatus.ACTIVE);
		for (String arn : active) aws.ecs().deregisterTaskDefinition(b -> b.taskDefinition(arn));
		List<String> inactive = taskDefinitions(family, TaskDefinitionStatus.INACTIVE);
		if (active.isEmpty() && inactive.isEmpty()) {
			say("already gone: task definition " + family);
			return;
		}
		for (int i = 0; i < inactive.size(); i += 10) {
			List<String> batch = inactive.subList(i, Math.min(i + 10, inactive.size()));
			var failures = aws.ecs().deleteTaskDefinitions(b -> b.taskDefinitions(batch)).failures();
			if (!failures.isEmpty()) {
				throw new ParascopeException(failures.get(0).arn() + ": " + failures.get(0).reason());
			}
		}
		for (String arn : inactive) say("deleted: task definition " + revision(arn));
	}

	private List<String> taskDefinitions(String family, TaskDefinitionStatus status) {
		List<String> arns = new ArrayList<>();
		aws.ecs().listTaskDefinitionsPaginator(b -> b.familyPrefix(family).status(status)).taskDefinitionArns().stream()
			// familyPrefix is the whole family name, but it costs nothing to be sure.
			.filter(arn -> revision(arn).startsWith(family + ":")).forEach(arns::add);
		return arns;
	}

	private static String revision(String arn) {
		return arn.substring(arn.lastIndexOf('/') + 1);
	}

	// Cluster

	private void deleteCluster() {
		String name = plan.cluster();
		if ("default".equals(name)) {
			say("kept: cluster default (the account's default cluster is never deleted)");
			return;
		}
		Optional<Cluster> cluster = aws.ecs().describeClusters(b -> b.clusters(name)).clusters().stream()
			.filter(c -> "ACTIVE".equals(c.status()) || "PROVISIONING".equals(c.status())).findFirst();
		if (cluster.isEmpty()) {
			say("already gone: cluster " + name);
			return;
		}
		List<String> others = otherServices(name);
		if (!others.isEmpty()) {
			say("kept: cluster " + name + " (other services use it: " + String.join(", ", others) + ")");
			return;
		}
		int machines = releaseFleetMachines(name);
		if (machines > 0) {
			say("kept: cluster " + name + " (" + machines + " machine(s) of other fleets are registered in it)");
			return;
		}
		Instant deadline = ticker.now().plus(waits.clusterTimeout());
		while (true) {
			try {
				aws.ecs().deleteCluster(b -> b.cluster(name));
				say("deleted: cluster " + name);
				return;
			}
			catch (ClusterContainsServicesException | ClusterContainsTasksException | ClusterContainsContainerInstancesException e) {
				// The service drains and the fleet's machines deregister in the background.
				if (!ticker.now().isBefore(deadline)) {
					problem("kept: cluster " + name + " (still in use after " + waits.clusterTimeout().toMinutes()
						+ " min: " + AwsErrors.explain(e) + "; run 'parascope cleanup' again later)", e);
					return;
				}
				ticker.sleep(waits.poll());
			}
		}
	}

	/** Services in the cluster other than the app's that are not deleted. */
	private List<String> otherServices(String cluster) {
		List<String> arns = new ArrayList<>();
		aws.ecs().listServicesPaginator(b -> b.cluster(cluster)).serviceArns().forEach(arns::add);
		List<String> others = new ArrayList<>();
		for (int i = 0; i < arns.size(); i += 10) {
			List<String> batch = arns.subList(i, Math.min(i + 10, arns.size()));
			aws.ecs().describeServices(b -> b.cluster(cluster).services(batch)).services().stream()
				.filter(s -> !"INACTIVE".equals(s.status()) && !plan.service().equals(s.serviceName()))
				.forEach(s -> others.add(s.serviceName()));
		}
		return others;
	}

	/**
	 * Deregisters the container instances of the fleet's machines and of machines that are gone
	 * (ECS does that itself, but only minutes later); returns how many other machines remain.
	 */
	private int releaseFleetMachines(String cluster) {
		List<String> arns = new ArrayList<>();
		aws.ecs().listContainerInstancesPaginator(b -> b.cluster(cluster)).containerInstanceArns().forEach(arns::add);
		int others = 0;
		for (int i = 0; i < arns.size(); i += 100) {
			List<String> batch = arns.subList(i, Math.min(i + 100, arns.size()));
			for (ContainerInstance ci : aws.ecs().describeContainerInstances(b -> b.cluster(cluster).containerInstances(batch))
				.containerInstances()) {
				if (fleetInstances.contains(ci.ec2InstanceId()) || isGone(ci.ec2InstanceId())) {
					aws.ecs().deregisterContainerInstance(b -> b.cluster(cluster).containerInstance(ci.containerInstanceArn())
						.force(true));
					say("deregistered: container instance " + ci.ec2InstanceId() + " from cluster " + cluster);
				}
				else {
					others++;
				}
			}
		}
		return others;
	}

	private boolean isGone(String instanceId) {
		var reservations = AwsErrors.notFoundAsEmpty(() -> aws.ec2().describeInstances(b -> b.instanceIds(instanceId)).reservations());
		return reservations.stream().flatMap(r -> r.instances().stream()).map(i -> i.state().name())
			.allMatch(s -> s == InstanceStateName.TERMINATED || s == InstanceStateName.SHUTTING_DOWN);
	}

	// Dashboard

	private void deleteDashboard() {
		if (plan.cleanDashboard()) {
			report(Dashboard.removeIfPresent(aws.cloudWatch(), plan.dashboard()));
		}
		else if (Dashboard.exists(aws.cloudWatch(), plan.dashboard())) {
			say("kept: dashboard " + plan.dashboard() + " (CLEAN_DASHBOARD is False)");
		}
		else {
			say("already gone: dashboard " + plan.dashboard());
		}
	}
}
