package org.parascope.monitor;

/**
 * The keys the monitor adds to the state file (beside DCP's MONITOR_* keys), so that a killed and
 * restarted monitor carries on, and a finished run stays finished. Times are epoch milliseconds.
 */
public final class StateKeys {

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
	 * row), for those who follow a detached monitor: see {@link RecordedReading}.
	 */
	public static final String LAST_WAITING = "PARASCOPE_MONITOR_LAST_WAITING",
		LAST_IN_FLIGHT = "PARASCOPE_MONITOR_LAST_IN_FLIGHT", LAST_DEAD = "PARASCOPE_MONITOR_LAST_DEAD",
		LAST_TARGET = "PARASCOPE_MONITOR_LAST_TARGET", LAST_MAX_COST = "PARASCOPE_MONITOR_LAST_MAX_COST",
		LAST_EMPTY_READINGS = "PARASCOPE_MONITOR_LAST_EMPTY_READINGS";
	/** "started" while a teardown runs (a restarted monitor finishes it), "done" after. */
	public static final String TEARDOWN = "PARASCOPE_TEARDOWN";
	public static final String TEARDOWN_AT = "PARASCOPE_TEARDOWN_AT";
	/**
	 * The ECS service (in cluster default) running this run's monitor (monitor --detach, AUTO_MONITOR), and
	 * the S3 copy of the state it uses.
	 */
	public static final String DETACHED_SERVICE = "PARASCOPE_DETACHED_SERVICE";
	public static final String DETACHED_STATE = "PARASCOPE_DETACHED_STATE";

	public static final String STARTED = "started", DONE_VALUE = "done";

	private StateKeys() {}
}
