package org.parascope.cli;

import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

import org.parascope.Parascope;
import org.parascope.config.ConfigKey;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "logs", mixinStandardHelpOptions = true,
	description = { "Prints the log of one task: what its engine printed and what the worker did with it, as "
		+ "workers shipped it to CloudWatch Logs (log group LOG_GROUP_NAME, one log stream per task, every "
		+ "attempt appended). The log goes to standard output; the stream's name to standard error.",
		"A task's log stream is named after its label, its metadata as in 'Metadata_Plate=P1, Metadata_Well=A01' "
		+ "('task 7' for a task without metadata), with ':' and '*' turned into '_'." },
	footer = { "", "Examples:", "  parascope --config config.py logs 'Metadata_Plate=P1, Metadata_Well=A01'",
		"  parascope logs 'Metadata_Plate=P1, Metadata_Well=B'   (several match: they are listed)" })
final class LogsCommand implements Callable<Integer> {

	@ParentCommand
	Main main;

	@Spec
	CommandSpec spec;

	@Parameters(paramLabel = "TASK", description = "The task's label, or its beginning if that names one task only.")
	String task;

	@Override
	public Integer call() {
		// Buffered: a task's log can have many thousands of lines.
		PrintWriter out = new PrintWriter(new BufferedWriter(spec.commandLine().getOut()));
		try (Parascope parascope = main.parascope()) {
			String stream = parascope.taskLog(task, out::println);
			out.flush();
			spec.commandLine().getErr().println("(log stream '" + stream + "' of log group " + parascope.config().string(ConfigKey.LOG_GROUP_NAME) + ", region "
				+ parascope.regionChoice() + ")");
		}
		return Main.OK;
	}
}
