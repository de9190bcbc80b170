package org.parascope.plugin;

import org.scijava.app.StatusService;
import org.scijava.log.LogService;
import org.scijava.task.Task;
import org.scijava.task.TaskService;

/**
 * One long action as Fiji shows it: the status bar (StatusService), the task list (TaskService), and
 * the log for its lines. Each service is optional: a bare SciJava context has none of them.
 */
final class Progress implements AutoCloseable {

	private final StatusService status;
	private final LogService log;
	private final Task task;

	Progress(Services services, String name) {
		this.status = services.status();
		this.log = services.log();
		TaskService tasks = services.tasks();
		this.task = tasks == null ? null : tasks.createTask(name);
		if (task != null) task.start();
	}

	/** Where the action stands, e.g. "Uploading 12 of 40 files". */
	synchronized void at(long done, long total, String message) {
		if (status != null) status.showStatus((int) Math.min(done, Integer.MAX_VALUE), (int) Math.min(total, Integer.MAX_VALUE), message);
		if (task != null) {
			task.setProgressMaximum(total);
			task.setProgressValue(done);
			task.setStatusMessage(message);
		}
	}

	/** A line for the log, also shown in the status bar. */
	synchronized void say(String line) {
		if (log != null) log.info("Parascope: " + line);
		if (status != null) status.showStatus(line);
	}

	@Override
	public void close() {
		if (task != null) task.finish();
		if (status != null) status.clearStatus();
	}

	/** The optional services a command hands over. */
	record Services(StatusService status, TaskService tasks, LogService log) {}
}
