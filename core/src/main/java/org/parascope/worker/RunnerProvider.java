package org.parascope.worker;

import java.nio.file.Path;
import java.util.function.Consumer;

import org.parascope.ParascopeException;
import org.parascope.config.Config;
import org.parascope.job.Task;

/**
 * Makes Runners; found with {@link java.util.ServiceLoader}, so that core can run a local fleet
 * without depending on the engines (they live in the engines module).
 */
public interface RunnerProvider {

	/** Whether this provider's runner runs that task (by engine, and by the script's kind). */
	boolean handles(Task task, Path script);

	Runner create(Config config);

	/**
	 * Readies the engine on a worker machine, once, before any of its workers takes a task
	 * ({@code parascope worker}); {@code notes} go to the container's log. Nothing by default.
	 *
	 * @throws ParascopeException when the machine cannot run this engine's tasks as configured
	 */
	default void prepare(Config config, Consumer<String> notes) throws InterruptedException {}
}
