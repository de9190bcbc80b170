package org.parascope.run;

/**
 * Parascope's keys in a run's state, beside DCP's MONITOR_* keys ({@link RunState#extra()}): one set for
 * what start-fleet records and what the monitor adds. A file DCP wrote has none of them: readers fall back
 * to the config or to DCP's behaviour. Times are epoch milliseconds.
 */
public final class RunKeys {

	// What start-fleet records of the run's resources.

	/** "spot-fleet" or "ec2-fleet" (the fleet id's prefix says the same). */
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

	// What the monitor adds, so that a killed and restarted monitor carries on, and a finished run stays finished.

	/** When the monitor first read the queue: throughput and cheapest mode count from here. */
	public static final String FIRST_READING = "PARASCOPE_MONITOR_FIRST_READING";
	/** Tasks seen so far (done + dead + waiting + in flight); rises if more are submitted. */
	public static final String TASKS = "PARASCOPE_MONITOR_TASKS";
	/** Tasks done since the first reading. */
	public static final String DONE = "PARASCOPE_MONITOR_DONE";
	/** Machine-hours since the fleet started, up to the last reading. */
	public static final String MACHINE_HOURS = "PARASCOPE_MONITOR_MACHINE_HOURS";
	public static final String LAST_READING = "PARASCOPE_MONITOR_LAST_READING";
	/** Machines running at the last reading. */
	public static final String LAST_MACHINES = "PARASCOPE_MONITOR_LAST_MACHINES";
	/**
	 * The rest of the last reading (queue counts, fleet target, its upper bound on cost, empty readings in a
	 * row), for those who follow a detached monitor.
	 */
	public static final String LAST_WAITING = "PARASCOPE_MONITOR_LAST_WAITING",
		LAST_IN_FLIGHT = "PARASCOPE_MONITOR_LAST_IN_FLIGHT", LAST_DEAD = "PARASCOPE_MONITOR_LAST_DEAD",
		LAST_TARGET = "PARASCOPE_MONITOR_LAST_TARGET", LAST_MAX_COST = "PARASCOPE_MONITOR_LAST_MAX_COST",
		LAST_EMPTY_READINGS = "PARASCOPE_MONITOR_LAST_EMPTY_READINGS";
	/** "started" while a teardown runs (a restarted monitor finishes it), "done" after: see {@link RunState#tornDown()}. */
	public static final String TEARDOWN = "PARASCOPE_TEARDOWN";
	public static final String TEARDOWN_AT = "PARASCOPE_TEARDOWN_AT";
	/**
	 * The ECS service (in cluster default) running this run's monitor (monitor --detach, AUTO_MONITOR), and
	 * the S3 copy of the state it uses.
	 */
	public static final String DETACHED_SERVICE = "PARASCOPE_DETACHED_SERVICE";
	public static final String DETACHED_STATE = "PARASCOPE_DETACHED_STATE";

	/** The values of {@link #TEARDOWN}. */
	public static final String STARTED = "started", DONE_VALUE = "done";

	private RunKeys() {}
}
