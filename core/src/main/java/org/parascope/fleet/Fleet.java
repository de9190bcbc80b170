package org.parascope.fleet;

/** The compute that runs workers: a local pool of worker threads, or ECS on spot instances. */
public interface Fleet extends AutoCloseable {

	/** Starts {@code workers} workers (or brings the fleet to that size). */
	void start(int workers);

	/** Changes the number of workers wanted; fewer means workers stop after their current task. */
	void scale(int workers);

	FleetState describe();

	/** Stops every worker; in-flight tasks are finished or released, never lost. */
	void stop();

	@Override
	default void close() {
		stop();
	}
}
