package org.parascope.plugin;

import org.parascope.ParascopeException;
import org.scijava.app.StatusService;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.task.TaskService;

/**
 * What every Parascope command is handed: the Fiji face's service, and Fiji's status bar, task list and log.
 * An error the user can act on (a {@link ParascopeException}, whose message says what to fix) cancels the
 * command with that reason, logged and on the status bar, instead of a stack trace; a macro that ran it
 * stops there. Anything else is a bug, and SciJava shows it as one.
 */
abstract class ParascopeCommand extends ContextCommand {

	@Parameter
	ParascopeService parascope;

	@Parameter(required = false)
	StatusService status;

	@Parameter(required = false)
	TaskService tasks;

	@Parameter(required = false)
	LogService log;

	@Override
	public final void run() {
		try {
			execute();
		}
		catch (ParascopeException e) {
			if (log != null) log.error("Parascope: " + e.getMessage());
			if (status != null) status.showStatus("Parascope: " + e.getMessage());
			cancel(e.getMessage());
		}
	}

	/** The command's work; a {@link ParascopeException} it throws cancels it with its message. */
	abstract void execute();

	Progress progress(String name) {
		return new Progress(new Progress.Services(status, tasks, log), name);
	}
}
