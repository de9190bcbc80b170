package org.parascope.worker;

import java.time.Duration;

import org.parascope.job.Task;

/** What workers report as they go; every method is called from worker threads. */
public interface WorkerListener {

	default void started(Task task, int attempt) {}

	default void succeeded(Task task, Duration took, TaskLog log) {}

	/** CHECK_IF_DONE found the results already there. */
	default void skipped(Task task) {}

	/** This attempt failed; the task is released, or dead-lettered after {@code maxAttempts}. */
	default void failed(Task task, int attempt, int maxAttempts, String reason, TaskLog log) {}

	/** This try was cut short and the task handed back to the queue, visible at once (e.g. a spot interruption). */
	default void released(Task task, String why, TaskLog log) {}

	/** Something people running the worker should know that concerns no single try (a queue out of reach). */
	default void note(String message) {}

	WorkerListener NONE = new WorkerListener() {};
}
