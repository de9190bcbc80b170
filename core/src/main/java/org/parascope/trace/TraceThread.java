package org.parascope.trace;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The one thread of a JVM's traces: every writer's batches and the usage sampler run on it. A thread fewer to
 * start and to wake (docs/benchmarks.md, "One record for a short try, one thread"), and a write and a sample
 * never need to run at once: a sample closes an interval of any length.
 */
final class TraceThread {

	static final ScheduledExecutorService SCHEDULER = scheduler();

	private TraceThread() {}

	private static ScheduledExecutorService scheduler() {
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, r -> {
			Thread t = new Thread(r, "parascope-trace");
			t.setDaemon(true);
			return t;
		});
		scheduler.setRemoveOnCancelPolicy(true); // a closed writer's turns go at once, not at their next time
		return scheduler;
	}
}
