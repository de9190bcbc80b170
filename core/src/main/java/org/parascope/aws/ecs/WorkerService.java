package org.parascope.aws.ecs;

import java.util.Optional;

import org.parascope.aws.Removal;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * The ECS service that puts the workers on the fleet's machines, APP_NAME + "Service" in ECS_CLUSTER:
 * setup creates it at 0 containers, start-fleet scales it up (and back, if it undoes its work), the
 * teardown scales it to 0 and removes it.
 */
public final class WorkerService {

	private final EcsClient ecs;
	private final String cluster;
	private final String name;

	public WorkerService(EcsClient ecs, String cluster, String name) {
		this.ecs = ecs;
		this.cluster = cluster;
		this.name = name;
	}

	/**
	 * Creates the service at 0 containers, or points an existing one at {@code taskDefinition}; says
	 * what it did (setup's line).
	 */
	public String ensure(String taskDefinition) {
		// A deleted service lingers as DRAINING or INACTIVE; only an ACTIVE one is there to update.
		Optional<Service> existing = active();
		if (existing.isEmpty()) {
			ecs.createService(b -> b.cluster(cluster).serviceName(name).taskDefinition(taskDefinition).desiredCount(0)
				.launchType(LaunchType.EC2));
			return "service " + name + ": created (desired count 0, " + revision(taskDefinition) + ")";
		}
		String current = existing.get().taskDefinition();
		if (taskDefinition.equals(current)) return "service " + name + ": unchanged";
		ecs.updateService(b -> b.cluster(cluster).service(name).taskDefinition(taskDefinition));
		return "service " + name + ": updated: task definition " + revision(current) + " -> " + revision(taskDefinition);
	}

	/** The service if it is ACTIVE: there to scale. */
	public Optional<Service> active() {
		return present().filter(s -> "ACTIVE".equals(s.status()));
	}

	/** The service if it is not deleted already (ACTIVE or DRAINING). */
	public Optional<Service> present() {
		try {
			return ecs.describeServices(b -> b.cluster(cluster).services(name)).services().stream()
				.filter(s -> !"INACTIVE".equals(s.status())).findFirst();
		}
		catch (ClusterNotFoundException e) {
			return Optional.empty();
		}
	}

	public void scale(int containers) {
		ecs.updateService(b -> b.cluster(cluster).service(name).desiredCount(containers));
	}

	/** Scales the service to 0 containers; absent when there is none, or none is wanted already. */
	public Removal scaleToZero() {
		String resource = "service " + name;
		try {
			Optional<Service> service = present().filter(s -> s.desiredCount() > 0);
			if (service.isEmpty()) return Removal.absent(resource);
			scale(0);
			return Removal.removed("scaled to 0", resource, "was " + service.get().desiredCount() + " containers");
		}
		catch (SdkException e) {
			return Removal.failed("scaling " + resource + " to 0", e);
		}
	}

	/** Removes the service with force (ECS stops its containers). */
	public Removal removeIfPresent() {
		String resource = "service " + name;
		try {
			if (present().isEmpty()) return Removal.absent(resource);
			ecs.deleteService(b -> b.cluster(cluster).service(name).force(true));
			return Removal.removed(resource);
		}
		catch (SdkException e) {
			return Removal.failed("deleting " + resource, e);
		}
	}

	/** "family:3" from a task definition ARN. */
	static String revision(String taskDefinitionArn) {
		return taskDefinitionArn == null ? "(none)" : taskDefinitionArn.substring(taskDefinitionArn.lastIndexOf('/') + 1);
	}
}
