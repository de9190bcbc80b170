package org.parascope.aws.ecs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.parascope.aws.AwsClients;
import org.parascope.aws.Removal;
import org.parascope.aws.fleet.LaunchTemplates;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * The detached monitor as an ECS service of one task ({@code APP_NAME + "Monitor-" + fleet id}, Fargate, in
 * {@link MonitorTask#CLUSTER}): if its container dies, ECS starts another, which carries on from the state
 * in S3 (docs/fleet.md). The monitor deletes its own service last, once the run's state says it is torn
 * down; a teardown from elsewhere deletes it first, so that it does not race that teardown.
 */
public final class MonitorService {

	/** What follows APP_NAME in a monitor service's name: "Monitor-" and a Spot Fleet request's or EC2 Fleet's id. */
	private static final Pattern SUFFIX = Pattern.compile("Monitor-(sfr|fleet)-[0-9A-Fa-f][0-9A-Fa-f-]*");

	/** @param status ACTIVE, DRAINING or INACTIVE, as ECS says; running and desired are its task counts */
	public record State(String name, String cluster, String status, int running, int desired) {
		public boolean active() {
			return "ACTIVE".equals(status);
		}
	}

	private final AwsClients aws;

	public MonitorService(AwsClients aws) {
		this.aws = aws;
	}

	/** The service that monitors the run of fleet {@code fleetId}. */
	public static String name(String app, String fleetId) {
		return app + "Monitor-" + fleetId;
	}

	/**
	 * Whether {@code service} is a monitor service of {@code app}, matched exactly as the alarms are: the
	 * suffix holds only a fleet id, so an app whose name merely starts the same (App2, AppMonitor-x) keeps its own.
	 */
	public static boolean isOfApp(String app, String service) {
		return service.startsWith(app) && SUFFIX.matcher(service.substring(app.length())).matches();
	}

	/**
	 * Creates the service: one Fargate task of {@code taskDefinition}, tagged with the app. A service of
	 * the same name that is still ACTIVE is kept as it is (start-fleet or --detach run twice).
	 */
	public State create(String app, String fleetId, String taskDefinition, List<String> subnets, String securityGroup) {
		String name = name(app, fleetId);
		Optional<State> existing = describe(name).filter(State::active);
		if (existing.isPresent()) return existing.get();
		Service created = aws.ecs().createService(b -> b.cluster(MonitorTask.CLUSTER).serviceName(name)
			.taskDefinition(taskDefinition).desiredCount(1).launchType(LaunchType.FARGATE)
			.networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets(subnets).securityGroups(securityGroup)
				.assignPublicIp(AssignPublicIp.ENABLED)))
			.tags(t -> t.key(LaunchTemplates.APP_TAG).value(app))).service();
		return state(created);
	}

	/** The service, empty when there is none (never created, or deleted long ago). */
	public Optional<State> describe(String name) {
		try {
			return aws.ecs().describeServices(b -> b.cluster(MonitorTask.CLUSTER).services(name)).services().stream()
				.filter(s -> name.equals(s.serviceName())).findFirst().map(MonitorService::state);
		}
		catch (ClusterNotFoundException e) {
			return Optional.empty();
		}
	}

	/** The app's monitor services that are not deleted already (ACTIVE or DRAINING). */
	public List<String> ofApp(String app) {
		List<String> arns = new ArrayList<>();
		try {
			aws.ecs().listServicesPaginator(b -> b.cluster(MonitorTask.CLUSTER)).serviceArns().forEach(arns::add);
		}
		catch (ClusterNotFoundException e) {
			return List.of();
		}
		List<String> names = new ArrayList<>();
		for (int i = 0; i < arns.size(); i += 10) {
			List<String> batch = arns.subList(i, Math.min(i + 10, arns.size()));
			aws.ecs().describeServices(b -> b.cluster(MonitorTask.CLUSTER).services(batch)).services().stream()
				.filter(s -> !"INACTIVE".equals(s.status()) && isOfApp(app, s.serviceName()))
				.forEach(s -> names.add(s.serviceName()));
		}
		return names;
	}

	/**
	 * Deletes the service with force: ECS stops its task (SIGTERM, then SIGKILL 30 s later). Returns false
	 * when it is already deleted or being deleted (DRAINING).
	 */
	public boolean delete(String name) {
		return removeIfPresent(name).orThrow().removed();
	}

	/**
	 * Removes the service with force: ECS stops its task (SIGTERM, then SIGKILL 30 s later). One already
	 * deleted or being deleted (DRAINING) is absent.
	 */
	public Removal removeIfPresent(String name) {
		String resource = "monitor service " + name;
		try {
			if (describe(name).filter(State::active).isEmpty()) return Removal.absent(resource);
			aws.ecs().deleteService(b -> b.cluster(MonitorTask.CLUSTER).service(name).force(true));
			return Removal.removed("deleted", resource, "cluster " + MonitorTask.CLUSTER);
		}
		catch (SdkException e) {
			return Removal.failed("deleting " + resource, e);
		}
	}

	private static State state(Service s) {
		return new State(s.serviceName(), MonitorTask.CLUSTER, s.status(), s.runningCount() == null ? 0 : s.runningCount(),
			s.desiredCount() == null ? 0 : s.desiredCount());
	}
}
