package org.parascope.cli;

import java.io.PrintWriter;
import java.time.Duration;

import org.parascope.job.Task;
import org.parascope.worker.TaskLog;
import org.parascope.worker.WorkerListener;

/**
 * What {@code parascope worker} prints: one line per task event, for the container's log (the
 * per-instance log group). Each task's own output goes to its CloudWatch stream, not here.
 */
final class WorkerLog implements WorkerListener {

	private final PrintWriter out;
	private final PrintWriter err;

	WorkerLog(PrintWriter out, PrintWriter err) {
		this.out = out;
		this.err = err;
	}

	@Override
	public void started(Task task, int attempt) {
		out.println("task " + task.label() + ": started (try " + attempt + ")");
	}

	@Override
	public void succeeded(Task task, Duration took, TaskLog log) {
		out.println("task " + task.label() + ": done in " + took.toMillis() / 1000.0 + " s");
	}

	@Override
	public void skipped(Task task) {
		out.println("task " + task.label() + ": skipped, its results are there already (CHECK_IF_DONE_BOOL)");
	}

	@Override
	public void failed(Task task, int attempt, int maxAttempts, String reason, TaskLog log) {
		err.println("task " + task.label() + ": failed (try " + attempt + " of " + maxAttempts + "): " + reason
			+ (attempt >= maxAttempts ? "; it goes to the dead-letter queue" : ""));
	}

	@Override
	public void released(Task task, String why, TaskLog log) {
		err.println("task " + task.label() + ": handed back to the queue: " + why);
	}

	@Override
	public void note(String message) {
		err.println("parascope: " + message);
	}
}
