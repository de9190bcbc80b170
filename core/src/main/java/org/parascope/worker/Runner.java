package org.parascope.worker;

/**
 * Runs one task's engine. A worker keeps one Runner per engine for its whole life, so a runner
 * may stay warm (an ImageJ runtime) between tasks; it is used by one thread at a time.
 */
public interface Runner extends AutoCloseable {

	/**
	 * Runs the task; returns when its results are in {@link TaskRun#outputDir()}.
	 *
	 * @throws TaskFailure when the engine reports that the task failed
	 */
	void run(TaskRun run) throws Exception;

	@Override
	default void close() {}
}
