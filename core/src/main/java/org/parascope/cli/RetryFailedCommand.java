package org.parascope.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.parascope.Parascope;
import org.parascope.config.ConfigKey;
import org.parascope.job.Task;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "retry-failed", mixinStandardHelpOptions = true,
	description = { "Moves the tasks that failed every try (the dead-letter queue's) back to the queue, where each "
		+ "gets JOB_RETRIES new tries, and lists them by their metadata. Workers must be running to take them "
		+ "('parascope start-fleet').",
		"A task is first sent to the queue, then deleted from the dead-letter queue, so none is lost if this stops "
			+ "half-way.",
		"--json prints {\"region\", \"queue\", \"dryRun\", \"tasks\": [LABEL, ...]} (the tasks moved, or with "
			+ "--dry-run those that would be), or {\"error\"}." },
	footer = { "", "Examples:", "  parascope retry-failed --dry-run", "  parascope --config config.py retry-failed" })
final class RetryFailedCommand implements Callable<Integer> {

	@ParentCommand
	Main main;

	@Option(names = "--dry-run", description = "Only list the failed tasks; move nothing.")
	boolean dryRun;

	@Mixin
	Output output;

	@Override
	public Integer call() {
		List<Task> tasks;
		List<String> others = new ArrayList<>();
		String queue;
		String region;
		try (Parascope parascope = main.cloud(output)) {
			queue = parascope.config().string(ConfigKey.SQS_QUEUE_NAME);
			region = parascope.region();
			tasks = dryRun ? parascope.failedTasks(others::add) : parascope.retryFailed(others::add);
		}
		if (output.json()) {
			ObjectNode json = output.object().put("region", region).put("queue", queue).put("dryRun", dryRun);
			ArrayNode labels = json.putArray("tasks");
			tasks.forEach(t -> labels.add(t.label()));
			ArrayNode notTasks = json.putArray("notTasks");
			others.forEach(notTasks::add);
			output.json(json);
			return Main.OK;
		}
		if (tasks.isEmpty() && others.isEmpty()) {
			output.text("No failed tasks: the dead-letter queue is empty.");
			return Main.OK;
		}
		// Exactly what was moved, tasks or not: a message that is no task goes back too (docs/security.md).
		String also = others.isEmpty() ? "" : " and " + others.size() + " message(s) that are not tasks";
		output.text(dryRun ? tasks.size() + " failed task(s)" + also + "; --dry-run moved none:"
			: "Moved " + tasks.size() + " failed task(s)" + also + " back to queue " + queue + ":");
		for (Task t : tasks) output.text("  " + t.label());
		for (String other : others) output.text("  " + other);
		return Main.OK;
	}
}
