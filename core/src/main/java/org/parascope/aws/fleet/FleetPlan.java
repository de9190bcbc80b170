package org.parascope.aws.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DefaultTargetCapacityType;
import software.amazon.awssdk.services.ec2.model.FleetExcessCapacityTerminationPolicy;
import software.amazon.awssdk.services.ec2.model.FleetLaunchTemplateOverridesRequest;
import software.amazon.awssdk.services.ec2.model.FleetType;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateOverrides;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SpotAllocationStrategy;
import software.amazon.awssdk.services.ec2.model.SpotFleetRequestConfigData;

/** A fleet ready to be requested, once its launch template exists: the machines plus the API's own options. */
public sealed interface FleetPlan {

	FleetKind kind();

	MachinePlan machines();

	/** Requests the fleet with {@code capacity} machines from template {@code templateId}; returns its id. */
	String submit(Ec2Client ec2, String templateId, int capacity);

	/** One entry per instance type and subnet: every MACHINE_TYPE is used (DCP dropped all but one per launch specification). */
	private static <T> List<T> overrides(MachinePlan machines, BiFunction<String, String, T> override) {
		List<T> all = new ArrayList<>();
		for (String type : machines.instanceTypes()) {
			if (machines.subnets().isEmpty()) all.add(override.apply(type, null));
			for (String subnet : machines.subnets()) all.add(override.apply(type, subnet));
		}
		return all;
	}

	/**
	 * A Spot Fleet request, as a DCP/DF fleet file describes it.
	 *
	 * @param allocationStrategy the file's AllocationStrategy (DCP's files say lowestPrice)
	 * @param type maintain (replace interrupted machines) or request
	 * @param interruptionBehavior the file's InstanceInterruptionBehavior, or null
	 * @param lifetime how long the request is valid (MAX_RUN_HOURS; DCP's was a year): then AWS
	 *        terminates its machines (TerminateInstancesWithExpiration is always true)
	 */
	record SpotFleet(MachinePlan machines, String fleetRole, String allocationStrategy, String type,
		String interruptionBehavior, Duration lifetime) implements FleetPlan {

		@Override
		public FleetKind kind() {
			return FleetKind.SPOT_FLEET;
		}

		/** The request, as sent: for tests and for what start-fleet reports. */
		public SpotFleetRequestConfigData config(String templateId, int capacity, Instant now) {
			List<LaunchTemplateOverrides> overrides = overrides(machines,
				(type, subnet) -> LaunchTemplateOverrides.builder().instanceType(type).subnetId(subnet).build());
			return SpotFleetRequestConfigData.builder().iamFleetRole(fleetRole).allocationStrategy(allocationStrategy)
				.type(type).targetCapacity(capacity).spotPrice(machines.maxPrice())
				.terminateInstancesWithExpiration(true).instanceInterruptionBehavior(interruptionBehavior)
				.validFrom(now).validUntil(now.plus(lifetime))
				.launchTemplateConfigs(c -> c.launchTemplateSpecification(s -> s.launchTemplateId(templateId).version("1"))
					.overrides(overrides))
				.tagSpecifications(t -> t.resourceType(ResourceType.SPOT_FLEET_REQUEST)
					.tags(tag -> tag.key(LaunchTemplates.APP_TAG).value(machines.app())))
				.build();
		}

		@Override
		public String submit(Ec2Client ec2, String templateId, int capacity) {
			SpotFleetRequestConfigData config = config(templateId, capacity, Instant.now());
			return ec2.requestSpotFleet(r -> r.spotFleetRequestConfig(config)).spotFleetRequestId();
		}
	}

	/**
	 * An EC2 Fleet of type maintain, all spot, built from the config alone.
	 *
	 * @param lifetime how long the fleet is valid (MAX_RUN_HOURS): then AWS terminates its machines
	 */
	record Ec2Fleet(MachinePlan machines, Duration lifetime) implements FleetPlan {

		@Override
		public FleetKind kind() {
			return FleetKind.EC2_FLEET;
		}

		@Override
		public String submit(Ec2Client ec2, String templateId, int capacity) {
			List<FleetLaunchTemplateOverridesRequest> overrides = overrides(machines,
				(type, subnet) -> FleetLaunchTemplateOverridesRequest.builder().instanceType(type).subnetId(subnet)
					.maxPrice(machines.maxPrice()).build());
			Instant now = Instant.now();
			return ec2.createFleet(r -> r.type(FleetType.MAINTAIN).validFrom(now).validUntil(now.plus(lifetime))
				.terminateInstancesWithExpiration(true)
				.targetCapacitySpecification(t -> t.totalTargetCapacity(capacity)
					.defaultTargetCapacityType(DefaultTargetCapacityType.SPOT))
				// AWS's recommendation: pools with spare capacity first, then the cheapest of those.
				.spotOptions(s -> s.allocationStrategy(SpotAllocationStrategy.PRICE_CAPACITY_OPTIMIZED))
				.excessCapacityTerminationPolicy(FleetExcessCapacityTerminationPolicy.TERMINATION)
				.launchTemplateConfigs(c -> c.launchTemplateSpecification(s -> s.launchTemplateId(templateId).version("1"))
					.overrides(overrides))
				.tagSpecifications(t -> t.resourceType(ResourceType.FLEET)
					.tags(tag -> tag.key(LaunchTemplates.APP_TAG).value(machines.app()))))
				.fleetId();
		}
	}
}
