package org.parascope;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.parascope.job.Task;
import org.parascope.progress.JobProgress;
import org.parascope.queue.QueueCounts;
import org.parascope.worker.TaskLog;
import org.parascope.worker.WorkerListener;

/** Follows a local run from the workers' reports, and says how it ended. */
public final class LocalRun implements WorkerListener {

	/** A task that failed every try, with why it failed the last time. */
	public record FailedTask(Task task, String reason, List<String> logTail) {}

	/**
	 * How a run ended.
	 *
	 * @param results where the results are
	 * @param report  the run's report (docs/trace.md); its trace is beside it; null when none was written
	 */
	public record Result(String job, JobProgress progress, List<FailedTask> failed, String results, int workers, String report) {

		public Result(String job, JobProgress progress, List<FailedTask> failed, String results, int workers) {
			this(job, progress, failed, results, workers, null);
		}

		public boolean allSucceeded() {
			return failed.isEmpty() && progress.dead() == 0;
		}
	}

	private final long total;
	private final long startNanos = System.nanoTime();
	private final AtomicLong succeeded = new AtomicLong();
	private final AtomicLong skipped = new AtomicLong();
	private final AtomicLong retries = new AtomicLong();
	private final AtomicLong running = new AtomicLong();
	private final Map<String, FailedTask> lastFailure = new ConcurrentHashMap<>();

	LocalRun(long total) {
		this.total = total;
	}

	@Override
	public void started(Task task, int attempt) {
		running.incrementAndGet();
	}

	@Override
	public void succeeded(Task task, Duration took, TaskLog log) {
		running.decrementAndGet();
		succeeded.incrementAndGet();
		lastFailure.remove(task.id());
	}

	@Override
	public void skipped(Task task) {
		skipped.incrementAndGet();
	}

	@Override
	public void failed(Task task, int attempt, int maxAttempts, String reason, TaskLog log) {
		running.decrementAndGet();
		retries.incrementAndGet();
		lastFailure.put(task.id(), new FailedTask(task, reason, log.tail(10)));
	}

	JobProgress progress(QueueCounts counts) {
		long busy = running.get();
		return new JobProgress(total, succeeded.get(), skipped.get(), counts.dead(), busy,
			counts.waiting() + Math.max(0, counts.inFlight() - busy), retries.get(),
			Duration.ofNanos(System.nanoTime() - startNanos));
	}

	/** The dead tasks, each with the reason its last try failed. */
	List<FailedTask> failures(List<Task> dead) {
		return dead.stream()
			.map(t -> lastFailure.getOrDefault(t.id(), new FailedTask(t, "no report", List.of())))
			.toList();
	}

	static Result result(String job, JobProgress progress, List<FailedTask> failed, Path results, int workers, Path report) {
		return new Result(job, progress, failed, results.toAbsolutePath().toString(), workers,
			report == null ? null : report.toAbsolutePath().toString());
	}
}
