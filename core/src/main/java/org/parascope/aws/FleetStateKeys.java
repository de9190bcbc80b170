package org.parascope.aws;

/**
 * Parascope's keys in the state file, beyond DCP's MONITOR_* keys (see {@link StateFile#extra()}).
 * A file DCP wrote has none of them: readers fall back to the config or to DCP's behaviour.
 */
public final class FleetStateKeys {

	/** "spot-fleet" or "ec2-fleet" ({@link FleetKind#key()}); the fleet id's prefix says the same. */
	public static final String FLEET_KIND = "FLEET_KIND";
	public static final String AWS_REGION = "AWS_REGION";
	/** The fleet's launch template, deleted with the fleet. */
	public static final String LAUNCH_TEMPLATE_ID = "LAUNCH_TEMPLATE_ID";
	public static final String ECS_SERVICE = "ECS_SERVICE";
	public static final String TASK_FAMILY = "TASK_FAMILY";
	public static final String SQS_DEAD_LETTER_QUEUE = "SQS_DEAD_LETTER_QUEUE";
	/** The containers' log group (LOG_GROUP_NAME + "_perInstance"). */
	public static final String INSTANCE_LOG_GROUP = "INSTANCE_LOG_GROUP";
	/** The CloudWatch dashboard, present only when start-fleet created one. */
	public static final String DASHBOARD = "DASHBOARD";
	/** Machines requested, and containers per machine: scale-down turns tasks in flight into machines. */
	public static final String CLUSTER_MACHINES = "CLUSTER_MACHINES";
	public static final String TASKS_PER_MACHINE = "TASKS_PER_MACHINE";
	/** Comma-separated instance types and the maximum price per machine-hour, for cost estimates. */
	public static final String MACHINE_TYPES = "MACHINE_TYPES";
	public static final String MACHINE_PRICE = "MACHINE_PRICE";

	private FleetStateKeys() {}
}
