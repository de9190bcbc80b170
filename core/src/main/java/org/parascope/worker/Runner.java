package org.parascope.worker;

import org.parascope.store.ObjectStore;

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

	/**
	 * Fetches the inputs that only the engine can name, before {@link #run}: the worker has already put
	 * the script, the data file and the task's listed inputs in place. CellProfiler's runner fetches
	 * the images a LoadData CSV lists for this task (DOWNLOAD_FILES). None by default.
	 */
	default void fetchInputs(TaskRun run, ObjectStore source) throws Exception {}

	@Override
	default void close() {}
}
