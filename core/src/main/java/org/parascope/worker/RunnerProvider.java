package org.parascope.worker;

import java.nio.file.Path;

import org.parascope.config.Config;
import org.parascope.job.Task;

/**
 * Makes Runners; found with {@link java.util.ServiceLoader}, so that core can run a local fleet
 * without depending on the engines (they live in the worker module).
 */
public interface RunnerProvider {

	/** Whether this provider's runner runs that task (by engine, and by the script's kind). */
	boolean handles(Task task, Path script);

	Runner create(Config config);
}
