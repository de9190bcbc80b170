package org.parascope.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import org.parascope.progress.Durations;

/**
 * The workers of one container ({@code parascope worker}): DOCKER_CORES workers, each on its own
 * thread, started SECONDS_TO_START apart. It ends when the queue has been empty for the idle
 * limit (or could not be worked that long: deleted, or out of reach), when {@link #shutdown} is
 * called (SIGTERM), or on a spot interruption notice, which hands the tasks in hand back to the queue
 * at once.
 */
public final class WorkerProcess {

	/**
	 * @param workers  how many workers (DOCKER_CORES)
	 * @param stagger  pause between starting two workers (SECONDS_TO_START)
	 * @param idleExit end after the queue has been empty this long; empty: work until stopped
	 * @param grace    how long a shutdown lets the tasks in hand finish before handing them back
	 */
	public record Options(int workers, Duration stagger, Optional<Duration> idleExit, Duration grace) {}

	/** How often the spot interruption notice is asked for, as AWS recommends. */
	static final Duration NOTICE_POLL = Duration.ofSeconds(5);

	private final IntFunction<Worker> newWorker;
	private final Options options;
	private final Supplier<Optional<String>> interruption;
	private final Consumer<String> notes;
	private final List<Worker> workers = new ArrayList<>();
	private final List<Thread> threads = new ArrayList<>();
	private final CountDownLatch ending = new CountDownLatch(1);
	private final CountDownLatch ended = new CountDownLatch(1);
	private volatile String endReason;
	private volatile boolean queueTrouble;
	private volatile boolean aborted;
	private volatile long abortedAt;
	private final List<AutoCloseable> closing = new ArrayList<>();

	/** How long aborted workers get to clean their task folders before the process ends without them. */
	private static final Duration ABORTED_WAIT = Duration.ofSeconds(10);

	/**
	 * @param newWorker    makes worker number n (0, 1, ...)
	 * @param interruption the spot interruption notice, if any; empty when none is watched
	 * @param notes        what people running the process should read (standard error)
	 */
	public WorkerProcess(IntFunction<Worker> newWorker, Options options, Optional<Supplier<Optional<String>>> interruption,
		Consumer<String> notes) {
		if (options.workers() < 1) throw new IllegalArgumentException("at least one worker");
		this.newWorker = newWorker;
		this.options = options;
		this.interruption = interruption.orElse(null);
		this.notes = notes;
	}

	/** Closes {@code resource} (the trace) once the workers have ended, before a shutdown may return. */
	public synchronized WorkerProcess closing(AutoCloseable resource) {
		closing.add(resource);
		return this;
	}

	/** Starts the workers and works until the process should end; returns why it ended. */
	public String run() {
		long started = System.nanoTime();
		ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, "parascope-spot-watch");
			t.setDaemon(true);
			return t;
		});
		if (interruption != null) {
			watch.scheduleWithFixedDelay(this::checkInterruption, 0, NOTICE_POLL.toMillis(), TimeUnit.MILLISECONDS);
		}
		try {
			// The idle exit is checked while the workers are still being started too: on an empty queue the
			// process must not wait (DOCKER_CORES - 1) * SECONDS_TO_START for its last worker before ending.
			int startedWorkers = 0;
			long nextStart = started;
			while (ending.getCount() > 0 && anyAlive()) {
				if (startedWorkers < options.workers() && System.nanoTime() - nextStart >= 0) {
					start(startedWorkers++);
					nextStart = System.nanoTime() + options.stagger().toNanos();
					continue;
				}
				Optional<Duration> limit = options.idleExit();
				if (limit.isPresent() && idleFor(started).compareTo(limit.get()) >= 0) {
					// No task for that long, but not because the queue is empty: say so, rather than "empty".
					Optional<String> trouble = workers().stream().map(Worker::queueTrouble).flatMap(Optional::stream).findFirst();
					queueTrouble = trouble.isPresent();
					end(trouble.map(t -> "the queue could not be worked for " + Durations.readable(limit.get()) + ": " + t)
						.orElse("the queue was empty for " + Durations.readable(limit.get())));
					stopAll();
				}
				await(ending, Duration.ofMillis(200));
			}
			// Stopped workers finish the task in hand. Aborted ones have handed it back already: a task
			// that ignores its interrupt must not keep the process alive.
			awaitWorkers();
			return endReason == null ? "every worker ended" : endReason;
		}
		finally {
			watch.shutdownNow();
			closeAll();
			ended.countDown();
		}
	}

	/** Whether it ended because the queue could not be worked for the idle limit (deleted, or out of reach). */
	public boolean endedInQueueTrouble() {
		return queueTrouble;
	}

	/**
	 * Ends the process gently (SIGTERM): no new task is received; the tasks in hand may finish within
	 * the grace period, after which they are handed back to the queue, visible at once. Returns when
	 * the workers have ended or handed their tasks back.
	 */
	public void shutdown(String why) {
		end(why);
		stopAll();
		if (!joinAll(options.grace())) abortAll(why + ", and the grace period of " + Durations.readable(options.grace()) + " is over");
		await(ended, ABORTED_WAIT);
	}

	private void closeAll() {
		for (AutoCloseable resource : List.copyOf(closing)) {
			try {
				resource.close();
			}
			catch (Exception e) {
				notes.accept("could not close " + resource + ": " + e.getMessage());
			}
		}
	}

	private void checkInterruption() {
		if (aborted) return;
		Optional<String> notice = interruption.get();
		if (notice.isEmpty()) return;
		String why = "spot interruption notice " + notice.get();
		notes.accept(why + ": stopping; tasks in hand go back to the queue now");
		end(why);
		abortAll(why);
	}

	private synchronized void start(int n) {
		if (ending.getCount() == 0) return; // an end came meanwhile: its stop or abort did not see this worker
		Worker w = newWorker.apply(n);
		Thread t = new Thread(w, "parascope-worker-" + n);
		workers.add(w);
		threads.add(t);
		t.start();
	}

	private synchronized void end(String why) {
		if (endReason == null) endReason = why;
		ending.countDown();
	}

	private synchronized List<Worker> workers() {
		return List.copyOf(workers);
	}

	private synchronized List<Thread> threads() {
		return List.copyOf(threads);
	}

	private void stopAll() {
		workers().forEach(Worker::stop);
	}

	private void abortAll(String why) {
		abortedAt = System.nanoTime();
		aborted = true;
		workers().forEach(w -> w.abort(why));
	}

	private boolean anyAlive() {
		return threads().stream().anyMatch(Thread::isAlive) || threads().size() < options.workers();
	}

	/** How long every worker has been without a task; zero while one has a task. */
	private Duration idleFor(long started) {
		long last = started;
		for (Worker w : workers()) {
			if (w.busy()) return Duration.ZERO;
			last = Math.max(last, w.lastActive());
		}
		return Duration.ofNanos(System.nanoTime() - last);
	}

	/** Until every worker has ended, or for {@link #ABORTED_WAIT} once they were aborted. */
	private void awaitWorkers() {
		while (!joinAll(Duration.ofMillis(200))) {
			long since = abortedAt;
			if (aborted && System.nanoTime() - since > ABORTED_WAIT.toNanos()) return;
			if (Thread.currentThread().isInterrupted()) return;
		}
	}

	/** Waits for every worker thread up to {@code limit}; whether all ended. */
	private boolean joinAll(Duration limit) {
		long deadline = System.nanoTime() + limit.toNanos();
		for (Thread t : threads()) {
			try {
				long left = deadline - System.nanoTime();
				if (left > 0) t.join(Math.max(1, left / 1_000_000));
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return threads().stream().noneMatch(Thread::isAlive);
	}

	private static void await(CountDownLatch latch, Duration limit) {
		try {
			latch.await(limit.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}
}
