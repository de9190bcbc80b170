package org.parascope.aws.logs;

import java.time.Duration;

import org.parascope.ParascopeException;
import org.parascope.job.Task;
import org.parascope.worker.TaskLog;
import org.parascope.worker.WorkerListener;

/**
 * Sends the log of every finished try of a task to CloudWatch Logs (one stream per task, see
 * {@link CloudWatchTaskLogs}), then tells {@code next}. A log that cannot be shipped never fails the
 * task: its results are already stored.
 */
public final class LogShipping implements WorkerListener {

	private final CloudWatchTaskLogs logs;
	private final WorkerListener next;

	public LogShipping(CloudWatchTaskLogs logs, WorkerListener next) {
		this.logs = logs;
		this.next = next;
	}

	@Override
	public void started(Task task, int attempt) {
		next.started(task, attempt);
	}

	@Override
	public void succeeded(Task task, Duration took, TaskLog log) {
		ship(task, log);
		next.succeeded(task, took, log);
	}

	@Override
	public void skipped(Task task) {
		next.skipped(task);
	}

	@Override
	public void failed(Task task, int attempt, int maxAttempts, String reason, TaskLog log) {
		ship(task, log);
		next.failed(task, attempt, maxAttempts, reason, log);
	}

	@Override
	public void released(Task task, String why, TaskLog log) {
		ship(task, log);
		next.released(task, why, log);
	}

	@Override
	public void note(String message) {
		next.note(message);
	}

	private void ship(Task task, TaskLog log) {
		try {
			logs.ship(task.label(), log.lines());
		}
		catch (ParascopeException | software.amazon.awssdk.core.exception.SdkException e) {
			// Told like the worker's other notes: 'parascope worker' prints them on its standard error.
			next.note("could not ship the log of " + task.label() + ": " + e.getMessage());
		}
	}
}
