package org.parascope.submit;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.parascope.ParascopeException;
import org.parascope.TransientException;
import org.parascope.job.Job;
import org.parascope.job.Task;
import org.parascope.job.TaskMessage;
import org.parascope.queue.TaskQueue;
import org.parascope.store.Sha256;
import org.parascope.submit.JobManifest.State;

/**
 * Submits a job: {@link #plan} checks everything and changes nothing; {@link #send} sends the tasks
 * and keeps the job's manifest true to what the queue confirmed, also when sending fails or the
 * process is stopped (Ctrl-C).
 */
public final class Submitter {

	/**
	 * Requests in flight at once. SQS takes any number, so this only has to hide the latency of each
	 * request: 32 requests of 10 tasks with 80 ms round trips still send 4,000 tasks/s (docs/benchmarks.md).
	 */
	public static final int DEFAULT_SENDERS = 32;
	/** The SQS client's pool holds 50 connections; more senders would only queue for one. */
	public static final int MAX_SENDERS = 50;
	private static final Duration TICK = Duration.ofMillis(250);
	private static final int TICKS_PER_MANIFEST = 4;
	/** How long a stopping submit waits for its requests in flight, so that its count is exact. */
	private static final Duration LAST_REQUESTS = Duration.ofSeconds(15);
	/**
	 * A record of a submit still {@code sending} that changed more recently than this may belong to a
	 * submit still running: it rewrites its record every second.
	 */
	static final Duration QUIET_BEFORE_RESUME = Duration.ofSeconds(10);

	/** What to do about an earlier submit of the same content. */
	public enum Mode {
		/** Refuse it. */
		NEW,
		/** Send every task again (--force). */
		FORCE,
		/** Send only the tasks it did not get confirmed (--resume). */
		RESUME
	}

	/** What a submit reports as it goes; called from one thread at a time. */
	public interface Listener {
		void progress(long sent, long total, Duration elapsed);

		/** The submit was stopped from outside (Ctrl-C); says what was recorded. */
		default void stopped(String message) {}

		Listener NONE = (sent, total, elapsed) -> {};
	}

	/** Where tasks go: an open queue, named for people. */
	public record Target(TaskQueue queue, String queueName, String deadLetterQueue, String region) {}

	/**
	 * A checked job, ready to send.
	 *
	 * @param firstTask the first task, and {@code firstBody} its message body
	 * @param previous  the manifest of an earlier submit of the same content (only with --force or --resume)
	 * @param resume    send only the tasks {@code previous} did not get confirmed
	 */
	public record Plan(Job job, String sha256, Target target, Task firstTask, String firstBody, Path manifest,
		Optional<JobManifest> previous, boolean resume)
	{
		/** The job's name and the start of its content's hash: the same content is the same job. */
		public String jobId() {
			return job.name() + "-" + sha256.substring(0, 8);
		}
	}

	/**
	 * @param sent   tasks the queue confirmed in this submit
	 * @param record the job's record as it ends: every task confirmed, and which may be queued twice
	 */
	public record Result(Plan plan, long sent, JobManifest record, Duration took) {

		public double tasksPerSecond() {
			return took.toNanos() == 0 ? 0 : sent * 1e9 / took.toNanos();
		}
	}

	private Submitter() {}

	/**
	 * Checks a job file whole (the first error reported is the job's), refuses content submitted before
	 * (unless {@code mode} says what to do about it), and opens the queue, which must exist. Changes nothing.
	 */
	public static Plan plan(Path jobFile, Path manifests, Mode mode, Supplier<Target> open) {
		// The queue is looked up while the job file is read: neither changes anything, and the SDK's
		// first call costs about as much time as reading 100,000 tasks.
		CompletableFuture<Target> opening = CompletableFuture.supplyAsync(open, r -> {
			Thread t = new Thread(r, "parascope-open-queue");
			t.setDaemon(true);
			t.start();
		});
		Job job = Job.read(jobFile);
		String sha256 = sha256(job.file());
		Path manifest = JobManifest.file(manifests, sha256);
		Optional<JobManifest> previous = JobManifest.read(manifest);
		if (previous.isPresent() && mode == Mode.NEW) throw new ParascopeException(refusal(job, previous.get(), manifest));
		if (mode == Mode.RESUME) checkResumable(job, previous, manifest);
		Target target;
		try {
			target = opening.join();
		}
		catch (CompletionException e) {
			if (e.getCause() instanceof RuntimeException cause) throw cause;
			throw e;
		}
		if (mode == Mode.RESUME) {
			JobManifest m = previous.orElseThrow();
			if (!(target.queueName().equals(m.queue()) && target.region().equals(m.region()))) {
				throw new ParascopeException(job.file() + ": this job's record (" + manifest + ") is of queue " + m.queue() + " in "
					+ m.region() + ", but the config's queue is " + target.queueName() + " in " + target.region()
					+ ": resume it with the config and region that sent it");
			}
		}
		Task[] first = { null };
		try {
			job.forEachTask(task -> {
				first[0] = task;
				throw new FirstFound();
			});
		}
		catch (FirstFound found) {
			// Only the first task is shown; the whole file was validated by Job.read.
		}
		return new Plan(job, sha256, target, first[0], TaskMessage.encode(first[0]), manifest, previous, mode == Mode.RESUME);
	}

	/** Refuses what --resume cannot finish without sending some task twice, or guessing. */
	private static void checkResumable(Job job, Optional<JobManifest> previous, Path file) {
		String self = job.file() + ": ";
		if (previous.isEmpty()) {
			throw new ParascopeException(self + "nothing to resume: no submit of this content is recorded in " + file.getParent()
				+ "; submit it without --resume");
		}
		JobManifest m = previous.get();
		if (m.state() == State.COMPLETE) {
			throw new ParascopeException(self + "nothing to resume: this job (job id " + m.jobId() + ") is complete, all "
				+ m.taskCount() + " tasks were confirmed by queue " + m.queue() + " on " + m.updatedAt() + " (record: " + file + ")");
		}
		if (!m.tally().byTask()) {
			throw new ParascopeException(self + "its record (" + file + ") was written by an older Parascope, which counted the "
				+ "tasks confirmed (" + m.tasksSent() + " of " + m.taskCount() + ") but not which: --resume cannot tell which are "
				+ "left. 'submit --force' sends all " + m.taskCount() + " again (those confirmed would run twice)");
		}
		Duration age = Duration.between(m.updatedAt(), Instant.now());
		if (m.state() == State.SENDING && age.compareTo(QUIET_BEFORE_RESUME) < 0) {
			throw new TransientException(self + "its record (" + file + ") says sending and changed " + Math.max(0, age.toSeconds())
				+ " s ago: another submit of this job may still be running. Try again once it has not changed for "
				+ QUIET_BEFORE_RESUME.toSeconds() + " s", null);
		}
	}

	private static String refusal(Job job, JobManifest m, Path file) {
		boolean complete = m.state() == State.COMPLETE;
		String what = complete
			? "was submitted on " + m.startedAt() + ": all " + m.taskCount() + " tasks went to queue " + m.queue()
			: "was submitted on " + m.startedAt() + " and stopped (" + m.state().id() + ") after " + m.tasksSent() + " of "
				+ m.taskCount() + " tasks went to queue " + m.queue() + (m.error() == null ? "" : ": " + m.error());
		return job.file() + ": this job (the same content, job id " + m.jobId() + ") " + what + ". Submitting it again "
			+ "would queue " + (m.tasksSent() > 0 ? "those tasks twice" : "it again") + "; "
			+ (complete || !m.tally().byTask() ? "" : "add --resume to send only the tasks not confirmed, or ")
			+ "add --force to submit it anyway (record: " + file + ")";
	}

	/** Sends every task of the plan with {@code senders} requests in flight; records progress in the manifest. */
	public static Result send(Plan plan, int senders, Listener listener) {
		if (senders < 1 || senders > MAX_SENDERS) {
			throw new ParascopeException("--senders: expected 1 to " + MAX_SENDERS + " requests in flight, got " + senders);
		}
		long start = System.nanoTime();
		long total = plan.job().taskCount();
		Ledger ledger = plan.resume() ? Ledger.resuming(plan.previous().orElseThrow()) : Ledger.fresh();
		long confirmedBefore = ledger.confirmedCount();
		Submission submission = new Submission(plan.target().queue(), senders, ledger);
		Instant now = Instant.now();
		Instant started = plan.resume() ? plan.previous().orElseThrow().startedAt() : now;
		Manifest manifest = new Manifest(plan.manifest(), new JobManifest(plan.jobId(),
			plan.job().file().toAbsolutePath().toString(), plan.sha256(), plan.target().queueName(), plan.target().region(), total,
			ledger.tally(), State.SENDING, null, started, now), ledger);

		AtomicBoolean exiting = new AtomicBoolean();
		Thread onStop = new Thread(() -> {
			exiting.set(true);
			submission.stop();
			boolean quiet = submission.awaitInFlight(LAST_REQUESTS);
			String why = "the process was stopped" + (quiet ? "" : " with requests still unanswered");
			if (manifest.finish(State.INTERRUPTED, why)) listener.stopped(stopReport(plan, submission, why));
		}, "parascope-submit-stop");
		// The hook comes before the record: stopped before this, the process has recorded and sent nothing
		// (addShutdownHook throws once shutdown began); after it, the hook records how far it got.
		Runtime.getRuntime().addShutdownHook(onStop);
		manifest.update(State.SENDING, null);

		ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, "parascope-submit-progress");
			t.setDaemon(true);
			return t;
		});
		long[] ticks = { 0 };
		ticker.scheduleAtFixedRate(() -> {
			listener.progress(submission.sent(), total, Duration.ofNanos(System.nanoTime() - start));
			if (++ticks[0] % TICKS_PER_MANIFEST == 0) manifest.update(State.SENDING, null);
		}, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
		try {
			submission.run(plan.job());
		}
		catch (RuntimeException e) {
			stopTicker(ticker);
			// The JVM halts as soon as the hook ends, so an outcome this thread recorded could go unreported.
			if (exiting.get()) awaitHalt();
			State state = submission.stopped() ? State.INTERRUPTED : State.FAILED;
			String why = state == State.INTERRUPTED ? "the process was stopped" : e.getMessage();
			manifest.finish(state, why);
			throw new ParascopeException(stopReport(plan, submission, why), e);
		}
		finally {
			stopTicker(ticker);
			try {
				Runtime.getRuntime().removeShutdownHook(onStop);
			}
			catch (IllegalStateException shuttingDown) {
				// The hook is running already and records the outcome itself.
			}
		}
		JobManifest record = manifest.finishComplete();
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		listener.progress(submission.sent(), total, took);
		return new Result(plan, submission.sent() - confirmedBefore, record, took);
	}

	private static String stopReport(Plan plan, Submission s, String why) {
		long total = plan.job().taskCount();
		return "sending stopped after " + s.sent() + " of " + total + " tasks: " + why + ". "
			+ (s.unknown() > 0 ? s.unknown() + " more were sent without an answer and may be queued too. " : "")
			+ (s.duplicated() > 0 ? s.duplicated() + " of those confirmed may be queued twice (a request of them went "
				+ "unanswered). " : "")
			+ "Recorded in " + plan.manifest() + "; 'submit --resume' sends the " + (total - s.sent())
			+ " not confirmed" + (s.unknown() > 0 ? " (those without an answer are reported as possibly duplicated)" : "")
			+ ".";
	}

	/** Leaves the outcome to the shutdown hook, which records and reports it before the JVM halts. */
	private static void awaitHalt() {
		while (true) {
			try {
				Thread.sleep(Long.MAX_VALUE);
			}
			catch (InterruptedException halting) {
				// Still halting: only the hook may end this submit.
			}
		}
	}

	private static void stopTicker(ScheduledExecutorService ticker) {
		ticker.shutdownNow();
		try {
			ticker.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	static String sha256(Path file) {
		return Sha256.of(file);
	}

	/** The manifest file of one submit: updated while sending, then finished once (the first outcome wins). */
	private static final class Manifest {
		private final Path file;
		private final JobManifest start;
		private final Ledger ledger;
		private JobManifest last;
		private boolean finished;

		Manifest(Path file, JobManifest start, Ledger ledger) {
			this.file = file;
			this.start = start;
			this.ledger = ledger;
		}

		synchronized void update(State state, String error) {
			if (finished) return;
			last = start.with(ledger.tally(), state, error);
			last.write(file);
		}

		/** Writes the final state; false if another outcome was recorded first. */
		synchronized boolean finish(State state, String error) {
			if (finished) return false;
			update(state, error);
			finished = true;
			return true;
		}

		/** Records that every task was confirmed; the record as written (or as another outcome wrote it first). */
		synchronized JobManifest finishComplete() {
			finish(State.COMPLETE, null);
			return last;
		}
	}

	private static final class FirstFound extends RuntimeException {
		FirstFound() {
			super(null, null, false, false);
		}
	}
}
