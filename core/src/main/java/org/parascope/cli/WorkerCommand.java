package org.parascope.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.parascope.Parascope;
import org.parascope.ParascopeException;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;
import org.parascope.worker.WorkerProcess;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "worker", mixinStandardHelpOptions = true,
	description = { "Works the config's SQS queue: what each container of the fleet runs, and what you can run "
		+ "by hand on any machine with AWS credentials. Settings come from the environment (the ECS task definition "
		+ "sets every key), over the --config file.",
		"DOCKER_CORES workers take tasks, SECONDS_TO_START apart; each fetches the task's files from S3, runs it, "
		+ "stores its results and ships its log to CloudWatch Logs. A failed try is retried after RETRY_DELAY "
		+ "(doubling); TASK_TIMEOUT stops a try that runs too long; after JOB_RETRIES tries the task goes to the "
		+ "dead-letter queue.",
		"SIGTERM: no new tasks; tasks in hand may finish within --grace, then go back to the queue. A spot "
		+ "interruption notice (instance metadata, IMDSv2) hands them back at once." },
	footer = { "", "Example (one worker, ending once the queue has been empty for 5 minutes):",
		"  DOCKER_CORES=1 parascope --config config.py worker --idle-exit 300", "", "More: docs/worker.md." })
final class WorkerCommand implements Callable<Integer> {

	@ParentCommand
	Main main;

	@Spec
	CommandSpec spec;

	@Option(names = "--idle-exit", paramLabel = "SECONDS",
		description = "End once the queue has been empty this long (default: work until stopped); exit code 3 if it "
			+ "could not be worked that long instead (deleted, or out of reach).")
	Long idleExit;

	@Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "90",
		description = "On SIGTERM, how long tasks in hand may take to finish before they go back to the queue "
			+ "(default: ${DEFAULT-VALUE}; the task definition gives containers 120 s before ECS kills them).")
	long grace;

	@Option(names = "--scratch", paramLabel = "DIR",
		description = "Folder for the tasks' working folders, emptied after every task (default: a folder in the "
			+ "system's temporary folder).")
	Path scratch;

	@Override
	public Integer call() {
		if (idleExit != null && idleExit < 1) throw new ParascopeException("--idle-exit must be at least 1 second, got " + idleExit);
		if (grace < 0) throw new ParascopeException("--grace must not be negative, got " + grace);
		try (Parascope parascope = main.parascope()) {
			Config config = parascope.config();
			WorkerProcess.Options options = new WorkerProcess.Options(config.integer(ConfigKey.DOCKER_CORES),
				Duration.ofSeconds(config.integer(ConfigKey.SECONDS_TO_START)), Optional.ofNullable(idleExit).map(Duration::ofSeconds),
				Duration.ofSeconds(grace));
			Path folder = scratch != null ? main.workDir().resolve(scratch) : Parascope.scratchFolder();
			WorkerLog log = new WorkerLog(spec.commandLine().getOut(), spec.commandLine().getErr());
			WorkerProcess process = parascope.workerProcess(options, folder, log);
			log.note("worker: " + options.workers() + " worker(s) on queue " + config.string(ConfigKey.SQS_QUEUE_NAME) + " in "
				+ parascope.regionChoice() + (options.workers() > 1 ? ", started " + options.stagger().toSeconds() + " s apart" : ""));
			// SIGTERM (docker stop, ECS scaling in or draining a spot instance) runs the hooks: a gentle end,
			// with S3 uploads still working until it is over.
			Runnable releaseTransfers = parascope.holdTransfersThroughShutdown();
			Thread hook = new Thread(() -> {
				process.shutdown("stopped (SIGTERM)");
				releaseTransfers.run();
			}, "parascope-worker-shutdown");
			Runtime.getRuntime().addShutdownHook(hook);
			try {
				log.note("worker: ended: " + process.run());
				// Not an empty queue: a deleted or unreachable one. Whoever runs workers should look, or try later.
				if (process.endedInQueueTrouble()) return Main.TRY_AGAIN;
			}
			finally {
				try {
					Runtime.getRuntime().removeShutdownHook(hook);
				}
				catch (IllegalStateException shuttingDown) {
					// The hook is running: it ends the workers.
				}
				releaseTransfers.run();
			}
		}
		return Main.OK;
	}
}
