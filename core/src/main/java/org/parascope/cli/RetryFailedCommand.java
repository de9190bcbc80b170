package org.parascope.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.parascope.Parascope;
import org.parascope.config.ConfigKey;
import org.parascope.job.Task;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "retry-failed", mixinStandardHelpOptions = true,
	description = { "Moves the tasks that failed every try (the dead-letter queue's) back to the queue, where each "
		+ "gets JOB_RETRIES new tries, and lists them by their metadata. Workers must be running to take them "
		+ "('parascope start-fleet').",
		"A task is first sent to the queue, then deleted from the dead-letter queue, so none is lost if this stops "
			+ "half-way." },
	footer = { "", "Examples:", "  parascope retry-failed --dry-run", "  parascope --config config.py retry-failed" })
final class RetryFailedCommand implements Callable<Integer> {

	@ParentCommand
	Main main;

	@Option(names = "--dry-run", description = "Only list the failed tasks; move nothing.")
	boolean dryRun;

	@Override
	public Integer call() {
		List<Task> tasks;
		List<String> others = new ArrayList<>();
		String queue;
		try (Parascope parascope = main.parascope()) {
			queue = parascope.config().string(ConfigKey.SQS_QUEUE_NAME);
			tasks = dryRun ? parascope.failedTasks(others::add) : parascope.retryFailed(others::add);
		}
		if (tasks.isEmpty() && others.isEmpty()) {
			System.out.println("No failed tasks: the dead-letter queue is empty.");
			return Main.OK;
		}
		// Exactly what was moved, tasks or not: a message that is no task goes back too (docs/security.md).
		String also = others.isEmpty() ? "" : " and " + others.size() + " message(s) that are not tasks";
		System.out.println((dryRun ? tasks.size() + " failed task(s)" + also + "; --dry-run moved none:"
			: "Moved " + tasks.size() + " failed task(s)" + also + " back to queue " + queue + ":"));
		for (Task t : tasks) System.out.println("  " + t.label());
		for (String other : others) System.out.println("  " + other);
		return Main.OK;
	}
}
