package org.parascope.plugin;

import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.task.TaskService;

/** What every Parascope command is handed: the Fiji face's service, and Fiji's status bar, task list and log. */
abstract class ParascopeCommand implements Command {

	@Parameter
	ParascopeService parascope;

	@Parameter(required = false)
	StatusService status;

	@Parameter(required = false)
	TaskService tasks;

	@Parameter(required = false)
	LogService log;

	Progress progress(String name) {
		return new Progress(new Progress.Services(status, tasks, log), name);
	}
}
