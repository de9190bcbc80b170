package org.parascope.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

import org.parascope.Parascope;
import org.parascope.ParascopeException;
import org.parascope.ShellWords;
import org.parascope.job.Job;
import org.parascope.submit.Submitter;
import org.parascope.submit.Uploads;

import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "submit", aliases = "submitJob", mixinStandardHelpOptions = true,
	description = { "Checks a job, then sends its tasks to the queue made by 'parascope setup': ten per request, "
		+ "several requests at once. Nothing is sent unless the whole job file is valid and the queue exists.",
		"Each submit is recorded in files/<APP_NAME>Jobs/<sha256 of the job file>.json (job id, task count, tasks "
			+ "confirmed by number, state). A job file whose content was submitted before is refused unless --force "
			+ "(send every task again) or --resume (send only the tasks its record does not have as confirmed: what "
			+ "finishes an interrupted or failed submit). A task whose request went unanswered (a timeout) and that was "
			+ "sent again may be queued twice: the record and the message say how many (docs/queue.md).",
		"'submitJob JOB' (Distributed-CellProfiler's name) is the same command.",
		"--upload LIST stores the files the job needs first, after the job and queue were checked: LIST is a JSON "
			+ "file {\"workspace\": {KEY: FILE}, \"source\": {KEY: FILE}} (pipelines and data files for WORKSPACE_BUCKET, "
			+ "images for SOURCE_BUCKET; relative files from LIST's folder).",
		"--json prints one JSON object for programs (the CellProfiler module): {\"jobId\", \"taskCount\", "
			+ "\"tasksSent\" (confirmed by this submit), \"tasksPossiblyDuplicated\", \"uploaded\", \"queue\", \"region\", "
			+ "\"manifest\", \"monitor\"}, or on failure "
			+ "{\"error\"} with the exit code (2: fix the input, 3: try again later); the progress bar stays on stderr.",
		"--json-progress (with --json) writes the progress to stderr as JSON lines instead of the bar: "
			+ "{\"phase\": \"upload\", \"files\", \"bytes\"}, then {\"stored\": KEY, \"bytes\"} per file stored (files already "
			+ "in the bucket are skipped), {\"phase\": \"send\", \"taskCount\"} before the first task is sent, "
			+ "{\"sent\", \"taskCount\"} as the queue confirms tasks, and {\"stopped\": MESSAGE} if the process is stopped "
			+ "while sending. Stopping it (SIGTERM) before the send phase queues nothing and records nothing." },
	footer = { "", "Examples:", "  parascope submit job.json --dry-run", "  parascope submit job.json --resume", "  parascope --config config.py submitJob files/exampleJob.json" })
final class SubmitCommand implements Callable<Integer> {

	@ParentCommand
	Main main;

	@Parameters(paramLabel = "JOB", description = "The job file (native, Distributed-CellProfiler, -Fiji or -Something format).")
	Path job;

	@Option(names = "--dry-run", description = "Check everything and show what would be sent; send nothing. Without AWS "
		+ "credentials, checks the job file only and says what it could not check.")
	boolean dryRun;

	@Option(names = "--force", description = "Submit even if the same job content was submitted before (its tasks run again).")
	boolean force;

	@Option(names = "--resume", description = "Finish an earlier submit of this content that stopped part-way: send only "
		+ "the tasks its record does not have as confirmed.")
	boolean resume;

	@Option(names = "--senders", paramLabel = "N", defaultValue = "" + Submitter.DEFAULT_SENDERS,
		description = "Requests in flight at once, 1 to " + Submitter.MAX_SENDERS + " (default: ${DEFAULT-VALUE}).")
	int senders;

	@Option(names = "--upload", paramLabel = "LIST", description = "Store the files LIST names in the buckets before sending (see above).")
	Path upload;

	@Option(names = "--json-progress", description = "With --json: progress as JSON lines on stderr (described above).")
	boolean jsonProgress;

	@Mixin
	Output output;

	@Override
	public Integer call() {
		if (jsonProgress && !output.json()) throw new ParascopeException("--json-progress: only with --json");
		if (resume && force) throw new ParascopeException("--resume and --force: choose one (--force sends every task again)");
		if (senders < 1 || senders > Submitter.MAX_SENDERS) {
			throw new ParascopeException("--senders: expected 1 to " + Submitter.MAX_SENDERS + ", got " + senders);
		}
		Path here = main.workDir();
		Uploads uploads = upload == null ? null : Uploads.read(here.resolve(upload));
		if (dryRun) return dryRun(here);
		try (Parascope parascope = main.cloud(output)) {
			Submitter.Plan plan = parascope.prepareSubmit(job, here, mode());
			AtomicInteger uploaded = new AtomicInteger();
			JsonProgress events = jsonProgress ? new JsonProgress(output.err()) : null;
			if (uploads != null) {
				if (events != null) events.uploading(uploads.count(), uploads.bytes());
				parascope.upload(uploads, (key, bytes) -> {
					uploaded.incrementAndGet();
					if (events != null) events.transferred(key, bytes);
				});
			}
			Submitter.Result result;
			if (events != null) {
				events.sending(plan.job().taskCount());
				result = parascope.submit(plan, senders, events);
			}
			else {
				SendProgress progress = SendProgress.forConsole(output.err(), output.chatty());
				try {
					result = parascope.submit(plan, senders, progress);
				}
				finally {
					progress.finish();
				}
			}
			if (output.json()) {
				output.json(result(result, uploaded.get()));
				return Main.OK;
			}
			if (uploads != null) output.text("Stored %d files in the buckets.", uploaded.get());
			output.text("Sent %d %stasks of %s to queue %s in %.1f s (%.0f tasks/s).", result.sent(),
				plan.resume() ? "remaining " : "", job, plan.target().queueName(), result.took().toMillis() / 1000.0,
				result.tasksPerSecond());
			long twice = result.record().tasksPossiblyDuplicated();
			if (twice > 0) {
				output.text("%d task(s) may be queued twice: a request of them went unanswered (a timeout or a cut connection) "
					+ "and was sent again; SQS cannot tell (docs/queue.md, \"What SQS guarantees\"). Which: "
					+ "possiblyDuplicatedTasks in the record. Workers with CHECK_IF_DONE_BOOL skip a task done already.", twice);
			}
			output.text("Recorded in " + here.relativize(plan.manifest().toAbsolutePath()) + ".");
			if (output.chatty()) {
				output.text("Next: 'parascope start-fleet' starts machines that work the queue; 'parascope status' "
					+ "shows the counts.");
			}
		}
		return Main.OK;
	}

	/**
	 * The job file first, offline; without credentials that is all, and the command says what it could
	 * not check. With them: the buckets, the objects the job names and the queue, all problems at once.
	 */
	private int dryRun(Path here) {
		Job checked = Job.read(here.resolve(job));
		try (Parascope parascope = main.cloud(output)) {
			if (!parascope.hasCredentials()) {
				if (output.json()) {
					output.json(output.object().put("dryRun", true).put("taskCount", checked.taskCount())
						.put("notChecked", JobCheckCommand.NOT_CHECKED));
				} else {
					output.text(JobCheckCommand.valid(job, checked));
					output.text(JobCheckCommand.NOT_CHECKED);
				}
				return Main.OK;
			}
			List<String> problems = new ArrayList<>(parascope.checkJobObjects(checked));
			Submitter.Plan plan = null;
			try {
				plan = parascope.prepareSubmit(job, here, mode());
			}
			catch (ParascopeException e) {
				problems.add(e.getMessage());
			}
			if (!problems.isEmpty()) throw new ParascopeException(job + ": " + problems.size() + " problem"
				+ (problems.size() == 1 ? "" : "s") + " (nothing was sent):\n  " + String.join("\n  ", problems));
			if (output.json()) {
				output.json(output.object().put("dryRun", true).put("jobId", plan.jobId())
					.put("taskCount", plan.job().taskCount()).put("queue", plan.target().queueName())
					.put("region", plan.target().region()).put("firstTask", plan.firstBody()));
			} else {
				printPlan(plan);
			}
			return Main.OK;
		}
	}

	private ObjectNode result(Submitter.Result result, int uploaded) {
		Submitter.Plan plan = result.plan();
		String config = main.configFile == null ? "" : " --config " + ShellWords.quote(main.workDir().resolve(main.configFile).toString());
		return output.object().put("jobId", plan.jobId()).put("taskCount", plan.job().taskCount())
			.put("tasksSent", result.sent()).put("tasksPossiblyDuplicated", result.record().tasksPossiblyDuplicated())
			.put("uploaded", uploaded).put("queue", plan.target().queueName())
			.put("region", plan.target().region()).put("manifest", plan.manifest().toAbsolutePath().toString())
			.put("monitor", "parascope" + config + " monitor");
	}

	private Submitter.Mode mode() {
		return resume ? Submitter.Mode.RESUME : force ? Submitter.Mode.FORCE : Submitter.Mode.NEW;
	}

	private void printPlan(Submitter.Plan plan) {
		output.text("Job %s (%s format): %d tasks, all valid; the buckets hold every object it names.", job,
			plan.job().format(), plan.job().taskCount());
		output.text("Would send them to queue %s in %s; a task failing %d times goes to %s.", plan.target().queueName(),
			plan.target().region(), plan.target().queue().maxReceives(), plan.target().deadLetterQueue());
		plan.previous().ifPresent(p -> output.text("This content was submitted before (%s, %s, %d of %d tasks "
			+ "confirmed); %s.", p.startedAt(), p.state().id(), p.tasksSent(), p.taskCount(), plan.resume()
				? "--resume sends the other " + (p.taskCount() - p.tasksSent()) : "--force sends it again"));
		output.text("First task (" + plan.firstTask().label() + "):");
		output.text("  " + plan.firstBody());
		output.text("Nothing was sent (--dry-run).");
	}
}
