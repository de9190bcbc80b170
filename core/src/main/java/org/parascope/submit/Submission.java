package org.parascope.submit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.parascope.ParascopeException;
import org.parascope.job.Job;
import org.parascope.job.Task;
import org.parascope.queue.SendFailure;
import org.parascope.queue.TaskQueue;

/**
 * Sends a job's tasks to a queue: the calling thread reads the job file and packs batches of ten,
 * several sender threads send them at once. At most two batches per sender are packed ahead, so
 * memory stays flat however many tasks the job has. Tasks the ledger has as confirmed already (a
 * resumed submit) are skipped; what the queue makes of each task sent goes into the ledger.
 */
final class Submission {

	/** Tasks per request: SQS's SendMessageBatch limit. */
	static final int BATCH = 10;

	private final TaskQueue queue;
	private final int senders;
	private final Semaphore slots;
	private final Ledger ledger;
	private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
	private volatile boolean stopping;

	/** Tasks of the job file, with their numbers (0 for the first). */
	private record Batch(List<Task> tasks, long[] numbers) {}

	Submission(TaskQueue queue, int senders, Ledger ledger) {
		if (senders < 1) throw new IllegalArgumentException("senders: at least 1, got " + senders);
		this.queue = queue;
		this.senders = senders;
		this.slots = new Semaphore(2 * senders);
		this.ledger = ledger;
	}

	/** Sends every task; returns once all are confirmed; throws what stopped it otherwise. */
	public void run(Job job) {
		AtomicInteger number = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(senders, r -> {
			Thread t = new Thread(r, "parascope-sender-" + number.incrementAndGet());
			t.setDaemon(true);
			return t;
		});
		try {
			List<Task> batch = new ArrayList<>(BATCH);
			long[] numbers = new long[BATCH];
			long[] next = { 0 };
			job.forEachTask(task -> {
				long n = next[0]++;
				if (!ledger.needed(n)) return;
				numbers[batch.size()] = n;
				batch.add(task);
				if (batch.size() == BATCH) {
					dispatch(pool, new Batch(List.copyOf(batch), numbers.clone()));
					batch.clear();
				}
			});
			if (!batch.isEmpty()) dispatch(pool, new Batch(List.copyOf(batch), Arrays.copyOf(numbers, batch.size())));
		}
		catch (Stopped s) {
			// The failure or the stop request is reported below, once every batch in flight has ended.
		}
		finally {
			awaitInFlight(null);
			pool.shutdownNow();
		}
		RuntimeException f = failure.get();
		if (f != null) throw f;
		if (stopping) throw new ParascopeException("stopped");
	}

	private void dispatch(ExecutorService pool, Batch batch) {
		if (stopping || failure.get() != null) throw new Stopped();
		try {
			slots.acquire();
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			stopping = true;
			throw new Stopped();
		}
		if (stopping || failure.get() != null) {
			slots.release();
			throw new Stopped();
		}
		ledger.dispatched(batch.numbers());
		pool.execute(() -> {
			try {
				// A batch that waited while sending failed or was stopped is not sent at all.
				if (stopping || failure.get() != null) {
					ledger.withdrawn(batch.numbers());
					return;
				}
				ledger.settled(batch.numbers(), queue.send(batch.tasks()));
			}
			catch (SendFailure f) {
				ledger.settled(batch.numbers(), f.sent());
				failure.compareAndSet(null, f);
			}
			catch (RuntimeException e) {
				ledger.unknown(batch.numbers());
				failure.compareAndSet(null, e);
			}
			finally {
				slots.release();
			}
		});
	}

	/** Asks the sending to stop: no new batch starts; those in flight end normally. */
	public void stop() {
		stopping = true;
	}

	public boolean stopped() {
		return stopping;
	}

	/** Tasks the queue confirmed, by this submit and those it resumes. */
	public long sent() {
		return ledger.confirmedCount();
	}

	/** Tasks in requests whose answer never came (or has not come yet): they may or may not be in the queue. */
	public long unknown() {
		return ledger.unansweredCount();
	}

	/** Tasks the queue confirmed after an unanswered request of them: queued once or twice. */
	public long duplicated() {
		return ledger.duplicatedCount();
	}

	/**
	 * Waits until no batch is in flight, at most {@code timeout} (null: no limit); true if none is. An
	 * interrupt does not cut the wait short (the counts must be final), but is kept for the caller.
	 */
	public boolean awaitInFlight(Duration timeout) {
		int all = 2 * senders;
		long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
		boolean interrupted = false;
		try {
			while (true) {
				try {
					long left = timeout == null ? TimeUnit.DAYS.toNanos(1) : deadline - System.nanoTime();
					if (slots.tryAcquire(all, Math.max(0, left), TimeUnit.NANOSECONDS)) {
						slots.release(all);
						return true;
					}
					if (timeout != null) return false;
				}
				catch (InterruptedException e) {
					interrupted = true;
				}
			}
		}
		finally {
			if (interrupted) Thread.currentThread().interrupt();
		}
	}

	/** Ends the reading of the job file early. */
	private static final class Stopped extends RuntimeException {
		Stopped() {
			super(null, null, false, false);
		}
	}
}
