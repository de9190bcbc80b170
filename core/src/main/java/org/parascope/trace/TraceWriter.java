package org.parascope.trace;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

import org.parascope.job.Task;
import org.parascope.trace.TraceRecord.Outcome;

/**
 * A trace that buffers its records and writes them in batches, every {@code maxRecords} records (looked for
 * every {@link #FULL_BATCH_CHECK}) or {@code maxDelay}, whichever comes first, and at {@link #close}: a fleet's
 * workers make no request per task. A batch that cannot be written is said once on {@code notes} and kept for the next write.
 *
 * <p>A worker's thread only queues the try's figures, one object per try: making the records (the task's label,
 * the try's CPU and memory figures), their JSON and the write happen on the trace's own thread, so that the trace
 * adds microseconds to a task, not the cost of a write (docs/benchmarks.md, "The trace's cost per task").
 */
public final class TraceWriter implements Trace {

	/** How often the trace's thread looks for full batches. */
	static final Duration FULL_BATCH_CHECK = Duration.ofMillis(500);

	private final String job;
	private final Machine machine;
	private final TraceSink sink;
	private final int maxRecords;
	private final java.util.function.Consumer<String> notes;
	private final Clock clock;
	/** This writer's turns on the trace's thread ({@link TraceThread}): its full batches and its delay. */
	private final List<ScheduledFuture<?>> turns;
	/** Tries whose next record is not yet made, in order: a try is queued when it begins and when it ends. */
	private final ConcurrentLinkedQueue<Noted> queued = new ConcurrentLinkedQueue<>();
	/** Records made from {@link #queued}, not yet written; guarded by this. */
	private final ArrayDeque<TraceRecord> made = new ArrayDeque<>();
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
		long check = Math.min(FULL_BATCH_CHECK.toMillis(), maxDelay.toMillis());
		this.turns = List.of(
			TraceThread.SCHEDULER.scheduleWithFixedDelay(this::flush, maxDelay.toMillis(), maxDelay.toMillis(), TimeUnit.MILLISECONDS),
			TraceThread.SCHEDULER.scheduleWithFixedDelay(this::writeFullBatches, check, check, TimeUnit.MILLISECONDS));
		// The sampler starts with the worker, not in its first task.
		TryUsage.start();
	}

	@Override
	public Try begin(String worker, Task task, int attempt) {
		Noted noted = new Noted(worker, task, attempt, clock.instant(), TryUsage.begin());
		add(noted);
		return noted;
	}

	@Override
	public void skipped(String worker, Task task, int attempt) {
		Noted noted = new Noted(worker, task, attempt, clock.instant(), null);
		noted.startTaken = true; // a skip has its end record only
		noted.end = noted.start;
		noted.outcome = Outcome.SKIPPED;
		add(noted);
	}

	/**
	 * A try's figures, the one object a try adds on the worker's thread besides its {@link TryUsage}: queued
	 * when the try begins and again when it ends, and made into its start and then its end record on the
	 * trace's thread.
	 */
	private final class Noted implements Try {
		private static final AtomicLongFieldUpdater<Noted> FETCHED = AtomicLongFieldUpdater.newUpdater(Noted.class, "fetched");
		private static final AtomicLongFieldUpdater<Noted> STORED = AtomicLongFieldUpdater.newUpdater(Noted.class, "stored");

		final String worker;
		final Task task;
		final int attempt;
		final Instant start;
		/** Null for a skip. */
		final TryUsage usage;
		// S3 transfers report from their own threads.
		volatile long fetched, stored;
		// Set before the end is queued, which publishes them to the trace's thread.
		Instant end;
		Outcome outcome;
		String reason;
		/** Set once the end is queued: a start taken after it is not written. */
		volatile boolean ended;
		/** The trace's thread only: the start is taken, so the next time this is taken, the end is. */
		boolean startTaken;

		Noted(String worker, Task task, int attempt, Instant start, TryUsage usage) {
			this.worker = worker;
			this.task = task;
			this.attempt = attempt;
			this.start = start;
			this.usage = usage;
		}

		@Override
		public void fetched(long bytes) {
			FETCHED.addAndGet(this, bytes);
		}

		@Override
		public void stored(long bytes) {
			STORED.addAndGet(this, bytes);
		}

		@Override
		public void end(Outcome outcome, String reason) {
			usage.end();
			this.end = clock.instant();
			this.outcome = outcome;
			this.reason = reason;
			if (add(this)) ended = true;
		}

		/**
		 * Its next record, on the trace's thread; null for the start of a try that has ended by now, whose end
		 * record says all: a start record is written only for a try still running when its batch is made, which
		 * shows a try whose worker dies (docs/trace.md), and the trace's thread makes half the records.
		 */
		TraceRecord record() {
			if (!startTaken) {
				startTaken = true;
				return ended ? null : TraceWriter.this.record(TraceRecord.START, this, null, Outcome.STARTED, null, 0, 0, null);
			}
			// The CPU and heap figures are completed here, on the trace's thread (TryUsage).
			return TraceWriter.this.record(TraceRecord.END, this, end, outcome, reason, fetched, stored,
				usage == null ? new TryUsage.Usage(0, 0) : usage.usage());
		}
	}

	private TraceRecord record(String kind, Noted t, Instant end, Outcome outcome, String reason, long fetched, long stored,
		TryUsage.Usage used) {
		Double seconds = end == null ? null : Duration.between(t.start, end).toNanos() / 1e9;
		return new TraceRecord(kind, job, t.task.id(), t.task.label(), t.task.metadata(), t.attempt, t.worker,
			machine.process(), machine.machine(), machine.instanceType(), machine.zone(), t.task.engine().id(), t.start, end,
			seconds, outcome, reason, fetched, stored, used == null ? null : used.cpuSeconds(),
			used == null ? null : used.peakMemoryMiB());
	}

	/**
	 * Queues a try's next record, made (its label, its JSON) later on the trace's thread. The worker's thread
	 * does no more: the trace's thread looks for full batches on its own ({@link #FULL_BATCH_CHECK}); waking it
	 * from here put it on the worker's core, which then waited out its batch (1 to 3 ms, docs/benchmarks.md).
	 */
	private boolean add(Noted noted) {
		return !closed && queued.add(noted);
	}

	/** Writes the full batches taken so far, on the calling thread. */
	private synchronized void writeFullBatches() {
		take();
		while (made.size() >= maxRecords) write(maxRecords);
	}

	/** Writes what is queued now, on the calling thread. */
	public synchronized void flush() {
		take();
		write(made.size());
	}

	/** Makes the records of what is queued now. */
	private void take() {
		for (Noted n; (n = queued.poll()) != null;) {
			TraceRecord r = n.record();
			if (r != null) made.add(r);
		}
	}

	/** Writes the first {@code count} records made (and what a failed write left). */
	private void write(int count) {
		List<TraceRecord> records = new ArrayList<>(count);
		for (int i = 0; i < count; i++) records.add(made.poll());
		StringWriter lines = new StringWriter(unwritten.length() + count * 400);
		lines.write(unwritten);
		try {
			TraceRecord.writeLines(records, lines);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e); // a StringWriter does not fail
		}
		if (lines.getBuffer().length() == 0) return;
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

	/** Has the trace's thread write the full batches queued now, and waits for it (tests). */
	void settle() throws Exception {
		TraceThread.SCHEDULER.submit(this::writeFullBatches).get();
	}

	@Override
	public void close() {
		closed = true;
		turns.forEach(turn -> turn.cancel(false));
		flush(); // after a write running now: both hold this writer's lock
	}
}
