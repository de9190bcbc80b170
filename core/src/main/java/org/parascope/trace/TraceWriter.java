package org.parascope.trace;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.parascope.job.Task;
import org.parascope.trace.TraceRecord.Outcome;

/**
 * A trace that buffers its records and writes them in batches, every {@code maxRecords} records or
 * {@code maxDelay}, whichever comes first, and at {@link #close}: a fleet's workers make no request per
 * task. A batch that cannot be written is said once on {@code notes} and kept for the next write.
 */
public final class TraceWriter implements Trace {

	private final String job;
	private final Machine machine;
	private final TraceSink sink;
	private final int maxRecords;
	private final java.util.function.Consumer<String> notes;
	private final Clock clock;
	private final ScheduledExecutorService timer;
	private StringBuilder buffer = new StringBuilder();
	private int buffered;
	private boolean closed;
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
		add(record(TraceRecord.START, worker, task, attempt, start, null, Outcome.STARTED, null, 0, 0, null));
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
				TryUsage.Usage used = usage.end();
				add(record(TraceRecord.END, worker, task, attempt, start, clock.instant(), outcome, reason, fetched.get(), stored.get(), used));
			}
		};
	}

	@Override
	public void skipped(String worker, Task task, int attempt) {
		Instant now = clock.instant();
		add(record(TraceRecord.END, worker, task, attempt, now, now, Outcome.SKIPPED, null, 0, 0, new TryUsage.Usage(0, 0)));
	}

	private TraceRecord record(String kind, String worker, Task task, int attempt, Instant start, Instant end,
		Outcome outcome, String reason, long fetched, long stored, TryUsage.Usage used) {
		Double seconds = end == null ? null : Duration.between(start, end).toNanos() / 1e9;
		return new TraceRecord(kind, job, task.id(), task.label(), task.metadata(), attempt, worker, machine.process(),
			machine.machine(), machine.instanceType(), machine.zone(), task.engine().id(), start, end, seconds, outcome,
			reason, fetched, stored, used == null ? null : used.cpuSeconds(), used == null ? null : used.peakMemoryMiB());
	}

	private void add(TraceRecord record) {
		String line = record.toJson();
		boolean full;
		synchronized (this) {
			if (closed) return;
			buffer.append(line).append('\n');
			full = ++buffered >= maxRecords;
		}
		if (full) flush();
	}

	/** Writes what is buffered now. */
	public void flush() {
		String lines;
		synchronized (this) {
			if (buffered == 0) return;
			lines = buffer.toString();
			buffer = new StringBuilder();
			buffered = 0;
		}
		try {
			sink.write(lines);
		}
		catch (RuntimeException e) {
			synchronized (this) {
				// Kept for the next batch: a passing outage loses nothing.
				buffer.insert(0, lines);
				buffered += (int) lines.chars().filter(c -> c == '\n').count();
				if (!failureSaid) notes.accept("trace: cannot write a batch (" + e.getMessage() + "); kept for the next");
				failureSaid = true;
			}
		}
	}

	@Override
	public void close() {
		timer.shutdownNow();
		flush();
		synchronized (this) {
			closed = true;
		}
	}
}
