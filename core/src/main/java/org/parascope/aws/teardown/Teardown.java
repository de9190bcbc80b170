package org.parascope.aws.teardown;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.parascope.ParascopeException;
import org.parascope.Ticker;
import org.parascope.aws.AwsClients;
import org.parascope.aws.AwsErrors;
import org.parascope.aws.ecs.MonitorService;
import org.parascope.aws.ecs.MonitorTask;
import org.parascope.aws.fleet.LaunchTemplates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatchlogs.model.ExportTask;
import software.amazon.awssdk.services.cloudwatchlogs.model.ExportTaskStatusCode;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.LimitExceededException;
import software.amazon.awssdk.services.ec2.model.ActiveInstance;
import software.amazon.awssdk.services.ec2.model.BatchState;
import software.amazon.awssdk.services.ec2.model.FleetData;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;
import software.amazon.awssdk.services.ec2.model.FleetStateCode;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ClusterContainsContainerInstancesException;
import software.amazon.awssdk.services.ecs.model.ClusterContainsServicesException;
import software.amazon.awssdk.services.ecs.model.ClusterContainsTasksException;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Removes a run's resources, in DCP's order: the service to 0, the app's alarms, the fleet (its
 * machines terminated) and launch template, the queue, the service, the task definitions, the
 * cluster if nothing else uses it, the dashboard, then exports the logs to S3. The detached monitor's
 * service is deleted first, so that it does not race the teardown (the detached monitor itself deletes
 * it last, after its teardown, see {@link MonitorService}).
 *
 * <p>Every step accepts what is already gone, so a teardown can be repeated; each reports one line
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

	/** Where exported logs go in AWS_BUCKET: DCP's prefix, one folder per log group. */
	public static final String EXPORT_PREFIX = "exportedlogs/";
	/** Beside each group's exports: up to when they reach, so that a repeated teardown exports nothing twice. */
	static final String EXPORT_MARKER = "parascope-export.json";
	/** DCP's AUTO_MONITOR alarms, named after the app but not starting with it. */
	public static final List<String> DCP_QUEUE_ALARMS = List.of("ApproximateNumberOfMessagesNotVisibleisZero_",
		"ApproximateNumberOfMessagesVisibleisZero_");
	private static final JsonMapper JSON = new JsonMapper();

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
		step("deleting the detached monitor's service", this::deleteMonitorServices);
		step("stopping the detached monitor", this::stopMonitorTasks);
		step("scaling service " + plan.service() + " to 0", this::scaleServiceToZero);
		step("deleting alarms of " + plan.app(), this::deleteAlarms);
		step("stopping the fleet", this::deleteFleet);
		step("deleting launch template " + plan.launchTemplate(), this::deleteLaunchTemplate);
		step("deleting queue " + plan.queue(), () -> deleteQueue(plan.queue(), false));
		step("deleting dead-letter queue " + plan.deadLetterQueue(), () -> deleteQueue(plan.deadLetterQueue(), true));
		step("deleting service " + plan.service(), this::deleteService);
		step("deleting task definitions " + plan.taskFamily(), () -> deleteTaskDefinitions(plan.taskFamily()));
		step("deleting task definitions " + plan.monitorFamily(), () -> deleteTaskDefinitions(plan.monitorFamily()));
		step("deleting cluster " + plan.cluster(), this::deleteCluster);
		step("deleting dashboard " + plan.dashboard(), this::deleteDashboard);
		for (String group : plan.logGroups()) step("exporting log group " + group, () -> exportLogs(group));
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

	// ECS service and monitor task

	/**
	 * The run's monitor service (named after its fleet), or without a state file every monitor service of
	 * the app; deleted before its task is stopped, or ECS would start another.
	 */
	private void deleteMonitorServices() {
		if (inDetachedMonitor) return;
		MonitorService services = new MonitorService(aws);
		List<String> names = plan.fleetId().map(id -> List.of(MonitorService.name(plan.app(), id)))
			.orElseGet(() -> services.ofApp(plan.app()));
		for (String name : names) {
			if (services.delete(name)) say("deleted: monitor service " + name + " (cluster " + MonitorTask.CLUSTER + ")");
		}
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

	/** The app's service, if it exists and is not deleted already. */
	private Optional<Service> service() {
		try {
			return aws.ecs().describeServices(b -> b.cluster(plan.cluster()).services(plan.service())).services().stream()
				.filter(s -> !"INACTIVE".equals(s.status())).findFirst();
		}
		catch (ClusterNotFoundException e) {
			return Optional.empty();
		}
	}

	private void scaleServiceToZero() {
		service().filter(s -> s.desiredCount() > 0).ifPresent(s -> {
			aws.ecs().updateService(b -> b.cluster(plan.cluster()).service(plan.service()).desiredCount(0));
			say("scaled to 0: service " + plan.service() + " (was " + s.desiredCount() + " containers)");
		});
	}

	private void deleteService() {
		if (service().isEmpty()) {
			say("already gone: service " + plan.service());
			return;
		}
		aws.ecs().deleteService(b -> b.cluster(plan.cluster()).service(plan.service()).force(true));
		say("deleted: service " + plan.service());
	}

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

	// Alarms

	/**
	 * The app's alarms, matched exactly: APP_NAME itself and DCP's per-machine {@code APP_NAME_i-<id>}, so
	 * that apps whose names merely start the same (App2, App-prod, App_2) keep theirs; plus DCP's two
	 * AUTO_MONITOR queue alarms.
	 */
	private void deleteAlarms() {
		List<String> names = new ArrayList<>();
		aws.cloudWatch().describeAlarmsPaginator(b -> b.alarmNamePrefix(plan.app())).metricAlarms().stream()
			.map(MetricAlarm::alarmName).filter(this::isAppAlarm).forEach(names::add);
		List<String> dcp = DCP_QUEUE_ALARMS.stream().map(p -> p + plan.app()).toList();
		aws.cloudWatch().describeAlarms(b -> b.alarmNames(dcp)).metricAlarms().stream().map(MetricAlarm::alarmName)
			.forEach(names::add);
		if (names.isEmpty()) {
			say("already gone: alarms of " + plan.app());
			return;
		}
		for (int i = 0; i < names.size(); i += 100) {
			List<String> batch = names.subList(i, Math.min(i + 100, names.size()));
			aws.cloudWatch().deleteAlarms(b -> b.alarmNames(batch));
		}
		names.forEach(name -> say("deleted: alarm " + name));
	}

	private boolean isAppAlarm(String name) {
		return name.equals(plan.app()) || (name.startsWith(plan.app() + "_")
			&& INSTANCE_ALARM_SUFFIX.matcher(name.substring(plan.app().length())).matches());
	}

	/** What follows APP_NAME in a per-machine alarm's name: "_" and the EC2 instance id. */
	private static final java.util.regex.Pattern INSTANCE_ALARM_SUFFIX = java.util.regex.Pattern.compile("_i-[0-9a-f]{8,17}");

	// Fleet

	private void deleteFleet() {
		List<String> ids = plan.fleetId().map(List::of).orElseGet(this::fleetsOfLaunchTemplate);
		if (ids.isEmpty()) {
			say("not found: fleet of " + plan.app() + " (no state file names it, and no EC2 Fleet uses launch template "
				+ plan.launchTemplate() + ")");
			return;
		}
		for (String id : ids) {
			if (id.startsWith("sfr-")) cancelSpotFleet(id);
			else if (id.startsWith("fleet-")) deleteEc2Fleet(id);
			else problem("failed: fleet " + id + ": neither a Spot Fleet request (sfr-...) nor an EC2 Fleet (fleet-...)");
		}
	}

	private void cancelSpotFleet(String id) {
		var fleets = notFoundAsEmpty(() -> aws.ec2().describeSpotFleetRequests(b -> b.spotFleetRequestIds(id))
			.spotFleetRequestConfigs());
		boolean live = fleets.stream().anyMatch(f -> f.spotFleetRequestState() != BatchState.CANCELLED
			&& f.spotFleetRequestState() != BatchState.CANCELLED_TERMINATING
			&& f.spotFleetRequestState() != BatchState.FAILED);
		if (!live) {
			say("already gone: spot fleet " + id);
			return;
		}
		aws.ec2().describeSpotFleetInstances(b -> b.spotFleetRequestId(id)).activeInstances().stream()
			.map(ActiveInstance::instanceId).forEach(fleetInstances::add);
		var failed = aws.ec2().cancelSpotFleetRequests(b -> b.spotFleetRequestIds(id).terminateInstances(true))
			.unsuccessfulFleetRequests();
		if (!failed.isEmpty()) throw new ParascopeException(id + ": " + failed.get(0).error().message());
		say("cancelled: spot fleet " + id + " (" + fleetInstances.size() + " machines terminating)");
	}

	private void deleteEc2Fleet(String id) {
		var fleets = notFoundAsEmpty(() -> aws.ec2().describeFleets(b -> b.fleetIds(id)).fleets());
		if (fleets.stream().noneMatch(Teardown::isLive)) {
			say("already gone: EC2 fleet " + id);
			return;
		}
		List<String> machines = aws.ec2().describeFleetInstances(b -> b.fleetId(id)).activeInstances().stream()
			.map(ActiveInstance::instanceId).toList();
		fleetInstances.addAll(machines);
		var failed = aws.ec2().deleteFleets(b -> b.fleetIds(id).terminateInstances(true)).unsuccessfulFleetDeletions();
		if (!failed.isEmpty()) throw new ParascopeException(id + ": " + failed.get(0).error().message());
		say("deleted: EC2 fleet " + id + " (" + machines.size() + " machines terminating)");
	}

	private static boolean isLive(FleetData fleet) {
		return fleet.fleetState() != FleetStateCode.DELETED && fleet.fleetState() != FleetStateCode.DELETED_TERMINATING
			&& fleet.fleetState() != FleetStateCode.DELETED_RUNNING && fleet.fleetState() != FleetStateCode.FAILED;
	}

	/** Without a state file: the live EC2 Fleets that launch one of the app's launch templates. */
	private List<String> fleetsOfLaunchTemplate() {
		List<LaunchTemplate> templates = launchTemplates();
		if (templates.isEmpty()) return List.of();
		// A fleet names its template by id or by name.
		Set<String> templateRefs = templates.stream().flatMap(t -> Stream.of(t.launchTemplateId(), t.launchTemplateName()))
			.collect(Collectors.toSet());
		List<String> ids = new ArrayList<>();
		aws.ec2().describeFleetsPaginator(b -> {}).fleets().stream().filter(Teardown::isLive)
			.filter(f -> f.launchTemplateConfigs().stream().map(c -> c.launchTemplateSpecification())
				.anyMatch(s -> s != null && (templateRefs.contains(s.launchTemplateId())
					|| templateRefs.contains(s.launchTemplateName()))))
			.forEach(f -> ids.add(f.fleetId()));
		return ids;
	}

	/** start-fleet names each template after the app and the time, and tags it with the app. */
	private List<LaunchTemplate> launchTemplates() {
		return notFoundAsEmpty(() -> aws.ec2().describeLaunchTemplates(b -> b.filters(Filter.builder()
			.name("tag:" + LaunchTemplates.APP_TAG).values(plan.app()).build())).launchTemplates());
	}

	private void deleteLaunchTemplate() {
		List<LaunchTemplate> templates = launchTemplates();
		if (templates.isEmpty()) say("already gone: launch template " + plan.launchTemplate());
		for (LaunchTemplate t : templates) {
			aws.ec2().deleteLaunchTemplate(b -> b.launchTemplateId(t.launchTemplateId()));
			say("deleted: launch template " + t.launchTemplateName());
		}
	}

	/** EC2 answers "not found" with an error where other services return nothing; this makes it nothing. */
	private static <T> List<T> notFoundAsEmpty(Supplier<List<T>> call) {
		try {
			return call.get();
		}
		catch (AwsServiceException e) {
			String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
			if (code != null && (code.contains("NotFound") || code.endsWith(".Malformed"))) return List.of();
			throw e;
		}
	}

	// Queues

	/**
	 * The dead-letter queue is kept while it holds tasks: they are the failed ones, which
	 * retry-failed sends back. Once it is empty, the next cleanup deletes it.
	 */
	private void deleteQueue(String name, boolean deadLetters) {
		String url;
		try {
			url = aws.sqs().getQueueUrl(b -> b.queueName(name)).queueUrl();
		}
		catch (SdkException e) {
			if (!isMissingQueue(e)) throw e;
			say("already gone: " + (deadLetters ? "dead-letter queue " : "queue ") + name);
			return;
		}
		if (deadLetters) {
			var counts = aws.sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(
				QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
				.attributes();
			long dead = counts.values().stream().mapToLong(Long::parseLong).sum();
			if (dead > 0) {
				say("kept: dead-letter queue " + name + " (" + dead + " failed task(s): 'parascope retry-failed' sends "
					+ "them back after 'parascope setup'; the next cleanup deletes it once it is empty)");
				return;
			}
		}
		aws.sqs().deleteQueue(b -> b.queueUrl(url));
		say("deleted: " + (deadLetters ? "dead-letter queue " : "queue ") + name);
	}

	/** SQS's JSON protocol names the error QueueDoesNotExist; its older query code is NonExistentQueue. */
	private static boolean isMissingQueue(SdkException e) {
		if (e instanceof QueueDoesNotExistException) return true;
		return e instanceof AwsServiceException a && a.awsErrorDetails() != null && a.awsErrorDetails().errorCode() != null
			&& (a.awsErrorDetails().errorCode().contains("NonExistentQueue")
				|| a.awsErrorDetails().errorCode().contains("QueueDoesNotExist"));
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
		var reservations = notFoundAsEmpty(() -> aws.ec2().describeInstances(b -> b.instanceIds(instanceId)).reservations());
		return reservations.stream().flatMap(r -> r.instances().stream()).map(i -> i.state().name())
			.allMatch(s -> s == InstanceStateName.TERMINATED || s == InstanceStateName.SHUTTING_DOWN);
	}

	// Dashboard

	private void deleteDashboard() {
		boolean exists = aws.cloudWatch().listDashboards(b -> b.dashboardNamePrefix(plan.dashboard())).dashboardEntries()
			.stream().anyMatch(d -> d.dashboardName().equals(plan.dashboard()));
		if (!exists) {
			say("already gone: dashboard " + plan.dashboard());
		}
		else if (!plan.cleanDashboard()) {
			say("kept: dashboard " + plan.dashboard() + " (CLEAN_DASHBOARD is False)");
		}
		else {
			aws.cloudWatch().deleteDashboards(b -> b.dashboardNames(plan.dashboard()));
			say("deleted: dashboard " + plan.dashboard());
		}
	}

	// Logs

	/**
	 * Exports the group's events since the last export (or since the fleet started) to
	 * s3://AWS_BUCKET/exportedlogs/GROUP/ and waits for it. CloudWatch runs one export per account
	 * at a time, so a busy account is waited for too. A marker beside the exports records how far
	 * they reach, so that a repeated teardown exports nothing twice.
	 */
	private void exportLogs(String group) {
		if (plan.bucket().isEmpty()) {
			say("kept: log group " + group + " (not exported: AWS_BUCKET is not set)");
			return;
		}
		String bucket = plan.bucket().get();
		String prefix = EXPORT_PREFIX + group;
		boolean exists = aws.logs().describeLogGroups(b -> b.logGroupNamePrefix(group)).logGroups().stream()
			.anyMatch(g -> g.logGroupName().equals(group));
		if (!exists) {
			say("already gone: log group " + group + " (nothing to export)");
			return;
		}
		Optional<Instant> exportedTo = exportedTo(bucket, prefix);
		Instant from = exportedTo.map(t -> t.plusMillis(1)).filter(t -> t.isAfter(plan.logsFrom())).orElse(plan.logsFrom());
		Instant to = ticker.now();
		if (!hasEvents(group, from, to)) {
			say(exportedTo.isPresent() ? "already exported: log group " + group + " (to s3://" + bucket + "/" + prefix + "/)"
				: "nothing to export: log group " + group + " (no events)");
			return;
		}
		String taskId = startExport(group, bucket, prefix, from, to);
		ExportTask task = awaitExport(taskId);
		if (task == null) {
			problem("still running: export of log group " + group + " (task " + taskId + ", after "
				+ waits.exportTimeout().toMinutes() + " min); run 'parascope cleanup' later to check",
				new ParascopeException("export of log group " + group + " still running"));
		}
		else if (task.status().code() == ExportTaskStatusCode.COMPLETED) {
			writeMarker(bucket, prefix, to);
			say("exported: log group " + group + " to s3://" + bucket + "/" + prefix + "/");
		}
		else {
			problem("failed: export of log group " + group + ": " + task.status().code() + " " + task.status().message());
		}
	}

	private boolean hasEvents(String group, Instant from, Instant to) {
		String token = null;
		do {
			String next = token;
			FilterLogEventsResponse page = aws.logs().filterLogEvents(b -> b.logGroupName(group)
				.startTime(from.toEpochMilli()).endTime(to.toEpochMilli()).limit(1).nextToken(next));
			if (!page.events().isEmpty()) return true;
			token = page.nextToken();
		}
		while (token != null);
		return false;
	}

	private String startExport(String group, String bucket, String prefix, Instant from, Instant to) {
		Instant deadline = ticker.now().plus(waits.exportTimeout());
		while (true) {
			try {
				return aws.logs().createExportTask(b -> b.taskName(plan.app() + "-" + to.toEpochMilli())
					.logGroupName(group).from(from.toEpochMilli()).to(to.toEpochMilli()).destination(bucket)
					.destinationPrefix(prefix)).taskId();
			}
			catch (LimitExceededException e) {
				// Another export of this account is running: CloudWatch allows one at a time.
				if (!ticker.now().isBefore(deadline)) throw e;
				ticker.sleep(waits.poll());
			}
		}
	}

	/** The finished task, or null if it is still running at the timeout. */
	private ExportTask awaitExport(String taskId) {
		Instant deadline = ticker.now().plus(waits.exportTimeout());
		while (true) {
			ExportTask task = aws.logs().describeExportTasks(b -> b.taskId(taskId)).exportTasks().get(0);
			ExportTaskStatusCode code = task.status().code();
			if (code == ExportTaskStatusCode.COMPLETED || code == ExportTaskStatusCode.FAILED
				|| code == ExportTaskStatusCode.CANCELLED) return task;
			if (!ticker.now().isBefore(deadline)) return null;
			ticker.sleep(waits.poll());
		}
	}

	private Optional<Instant> exportedTo(String bucket, String prefix) {
		try {
			byte[] bytes = aws.s3().getObjectAsBytes(b -> b.bucket(bucket).key(prefix + "/" + EXPORT_MARKER)).asByteArray();
			JsonNode to = JSON.readTree(bytes).get("to");
			return to != null && to.canConvertToLong() ? Optional.of(Instant.ofEpochMilli(to.asLong())) : Optional.empty();
		}
		catch (NoSuchKeyException e) {
			return Optional.empty();
		}
		catch (IOException e) {
			return Optional.empty(); // an unreadable marker only means exporting again
		}
	}

	private void writeMarker(String bucket, String prefix, Instant to) {
		String body = JSON.createObjectNode().put("logGroup", prefix.substring(EXPORT_PREFIX.length()))
			.put("to", to.toEpochMilli()).toString();
		aws.s3().putObject(b -> b.bucket(bucket).key(prefix + "/" + EXPORT_MARKER).contentType("application/json"),
			RequestBody.fromString(body));
	}
}
