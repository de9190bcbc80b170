package org.parascope.trace;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.parascope.job.Task;
import org.parascope.trace.TraceRecord.Outcome;

/**
 * A trace that buffers its records and writes them in batches, every {@code maxRecords} records or
 * {@code maxDelay}, whichever comes first, and at {@link #close}: a fleet's workers make no request per
 * task. A batch that cannot be written is said once on {@code notes} and kept for the next write.
 *
 * <p>A worker's thread only queues the try's figures: making the record (the task's label, the try's CPU and
 * memory figures), its JSON and the write happen on the trace's own thread, so that the trace adds microseconds to a
 * task, not the cost of a write (docs/benchmarks.md, "The trace's cost per task").
 */
public final class TraceWriter implements Trace {

	private final String job;
	private final Machine machine;
	private final TraceSink sink;
	private final int maxRecords;
	private final java.util.function.Consumer<String> notes;
	private final Clock clock;
	private final ScheduledExecutorService timer;
	/** Records not yet written, in the order they were made. */
	private final ConcurrentLinkedQueue<Supplier<TraceRecord>> queued = new ConcurrentLinkedQueue<>();
	private final AtomicInteger queuedCount = new AtomicInteger();
	/** A flush is queued on the trace's thread: a full batch asks for one once. */
	private final AtomicBoolean flushAsked = new AtomicBoolean();
	/** Lines a failed write left, written first next time; guarded by this. */
	private String unwritten = "";
	private volatile boolean closed;
	private boolean failureSaid;

	public TraceWriter(String job, Machine machine, TraceSink sink, int maxRecords, Duration maxDelay,
		java.util.function.Consumer<String> notes) {
		this(job, machine, sink, maxRecords, maxDelay, notes, Clock.systemUTC());
	}

	TraceWriter(String job, Machine machine, TraceSink sink, int maxRecords, Duration maxDelay,
		java.util.function.Consumer<String> notes, Clock clock) {
		this.job = job;
		this.machine = machine;
		this.sink = sink;
		this.maxRecords = maxRecords;
		this.notes = notes;
		this.clock = clock;
		this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, "parascope-trace");
			t.setDaemon(true);
			return t;
		});
		timer.scheduleWithFixedDelay(this::flush, maxDelay.toMillis(), maxDelay.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public Try begin(String worker, Task task, int attempt) {
		Instant start = clock.instant();
		add(() -> record(TraceRecord.START, worker, task, attempt, start, null, Outcome.STARTED, null, 0, 0, null));
		return new Try() {
			private final TryUsage usage = TryUsage.begin();
			// S3 transfers report from their own threads.
			private final AtomicLong fetched = new AtomicLong(), stored = new AtomicLong();

			@Override
			public void fetched(long bytes) {
				fetched.addAndGet(bytes);
			}

			@Override
			public void stored(long bytes) {
				stored.addAndGet(bytes);
			}

			@Override
			public void end(Outcome outcome, String reason) {
				usage.end();
				Instant end = clock.instant();
				long in = fetched.get(), out = stored.get();
				// The CPU and heap figures are completed here, on the trace's thread (TryUsage).
				add(() -> record(TraceRecord.END, worker, task, attempt, start, end, outcome, reason, in, out, usage.usage()));
			}
		};
	}

	@Override
	public void skipped(String worker, Task task, int attempt) {
		Instant now = clock.instant();
		add(() -> record(TraceRecord.END, worker, task, attempt, now, now, Outcome.SKIPPED, null, 0, 0, new TryUsage.Usage(0, 0)));
	}

	private TraceRecord record(String kind, String worker, Task task, int attempt, Instant start, Instant end,
		Outcome outcome, String reason, long fetched, long stored, TryUsage.Usage used) {
		Double seconds = end == null ? null : Duration.between(start, end).toNanos() / 1e9;
		return new TraceRecord(kind, job, task.id(), task.label(), task.metadata(), attempt, worker, machine.process(),
			machine.machine(), machine.instanceType(), machine.zone(), task.engine().id(), start, end, seconds, outcome,
			reason, fetched, stored, used == null ? null : used.cpuSeconds(), used == null ? null : used.peakMemoryMiB());
	}

	/** Queues a record, made (its label, its JSON) later on the trace's thread. */
	private void add(Supplier<TraceRecord> record) {
		if (closed) return;
		queued.add(record);
		if (queuedCount.incrementAndGet() >= maxRecords && flushAsked.compareAndSet(false, true)) {
			try {
				timer.execute(() -> {
					flushAsked.set(false);
					flush();
				});
			}
			catch (java.util.concurrent.RejectedExecutionException e) {
				flushAsked.set(false); // closing: close() writes what is queued
			}
		}
	}

	/** Writes what is queued now, on the calling thread. */
	public synchronized void flush() {
		StringBuilder lines = new StringBuilder(unwritten);
		for (Supplier<TraceRecord> r; (r = queued.poll()) != null;) {
			queuedCount.decrementAndGet();
			lines.append(r.get().toJson()).append('\n');
		}
		if (lines.length() == 0) return;
		try {
			sink.write(lines.toString());
			unwritten = "";
		}
		catch (RuntimeException e) {
			// Kept for the next batch: a passing outage loses nothing.
			unwritten = lines.toString();
			if (!failureSaid) notes.accept("trace: cannot write a batch (" + e.getMessage() + "); kept for the next");
			failureSaid = true;
		}
	}

	/** Waits until a flush asked for by a full batch has run (tests). */
	void settle() throws Exception {
		timer.submit(() -> {}).get();
	}

	@Override
	public void close() {
		closed = true;
		timer.shutdownNow();
		try {
			timer.awaitTermination(1, TimeUnit.MINUTES);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		flush();
	}
}
