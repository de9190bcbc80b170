package org.parascope.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.parascope.Parascope;
import org.parascope.ParascopeException;
import org.parascope.submit.Submitter;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "submit", aliases = "submitJob", mixinStandardHelpOptions = true,
	description = { "Checks a job, then sends its tasks to the queue made by 'parascope setup': ten per request, "
		+ "several requests at once. Nothing is sent unless the whole job file is valid and the queue exists.",
		"Each submit is recorded in files/<APP_NAME>Jobs/<sha256 of the job file>.json (job id, task count, tasks "
			+ "sent, state). A job file whose content was submitted before is refused unless --force; an interrupted "
			+ "submit's record says how many tasks were sent.",
		"'submitJob JOB' (Distributed-CellProfiler's name) is the same command." },
	footer = { "", "Examples:", "  parascope submit job.json --dry-run", "  parascope --config config.py submitJob files/exampleJob.json" })
final class SubmitCommand implements Callable<Integer> {

	@ParentCommand
	Main main;

	@Parameters(paramLabel = "JOB", description = "The job file (native, Distributed-CellProfiler, -Fiji or -Something format).")
	Path job;

	@Option(names = "--dry-run", description = "Check everything and show what would be sent; send nothing.")
	boolean dryRun;

	@Option(names = "--force", description = "Submit even if the same job content was submitted before (its tasks run again).")
	boolean force;

	@Option(names = "--senders", paramLabel = "N", defaultValue = "" + Submitter.DEFAULT_SENDERS,
		description = "Requests in flight at once, 1 to " + Submitter.MAX_SENDERS + " (default: ${DEFAULT-VALUE}).")
	int senders;

	@Override
	public Integer call() {
		if (senders < 1 || senders > Submitter.MAX_SENDERS) {
			throw new ParascopeException("--senders: expected 1 to " + Submitter.MAX_SENDERS + ", got " + senders);
		}
		Path here = main.workDir();
		try (Parascope parascope = main.parascope()) {
			Submitter.Plan plan = parascope.prepareSubmit(job, here, force);
			if (dryRun) {
				printPlan(plan);
				return Main.OK;
			}
			SendProgress progress = SendProgress.forConsole();
			Submitter.Result result;
			try {
				result = parascope.submit(plan, senders, progress);
			}
			finally {
				progress.finish();
			}
			System.out.printf("Sent %d tasks of %s to queue %s in %.1f s (%.0f tasks/s).%n", result.sent(), job,
				plan.target().queueName(), result.took().toMillis() / 1000.0, result.tasksPerSecond());
			System.out.println("Recorded in " + here.relativize(plan.manifest().toAbsolutePath()) + ".");
			System.out.println("Next: 'parascope start-fleet' starts machines that work the queue; 'parascope status' "
				+ "shows the counts.");
		}
		return Main.OK;
	}

	private void printPlan(Submitter.Plan plan) {
		System.out.printf("Job %s (%s format): %d tasks, all valid.%n", job, plan.job().format(), plan.job().taskCount());
		System.out.printf("Would send them to queue %s in %s; a task failing %d times goes to %s.%n", plan.target().queueName(),
			plan.target().region(), plan.target().queue().maxReceives(), plan.target().deadLetterQueue());
		plan.previous().ifPresent(p -> System.out.printf("This content was submitted before (%s, %s, %d of %d tasks "
			+ "sent); --force sends it again.%n", p.startedAt(), p.state().id(), p.tasksSent(), p.taskCount()));
		System.out.println("First task (" + plan.firstTask().label() + "):");
		System.out.println("  " + plan.firstBody());
		System.out.println("Nothing was sent (--dry-run).");
	}
}
