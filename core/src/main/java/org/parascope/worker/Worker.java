package org.parascope.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.parascope.ParascopeException;
import org.parascope.job.Task;
import org.parascope.progress.Durations;
import org.parascope.queue.Delivery;
import org.parascope.queue.TaskQueue;
import org.parascope.store.KeyRule;
import org.parascope.trace.Trace;
import org.parascope.trace.TraceRecord.Outcome;

/**
 * The one task loop, the same locally and in the cloud: receive, skip if done, fetch inputs, run,
 * store outputs, delete. A failed task is released for another try after a backoff; the queue
 * dead-letters it after its last try. While a task runs, a heartbeat keeps it hidden from other
 * workers. A task that runs longer than its timeout is interrupted and fails; {@link #abort} hands
 * the task in hand back to the queue at once (a spot interruption, the end of a shutdown's grace).
 */
public final class Worker implements Runnable {

	/**
	 * What every worker of a fleet shares.
	 *
	 * @param scratch the folder below which each worker keeps its task folder
	 * @param poll        how long one receive waits; also how long a stop may take while idle
	 * @param taskTimeout how long one try of a task may take (fetch, run, store); zero for no limit
	 * @param backoff     how long a failed task waits before its next try
	 */
	public record Setup(TaskQueue queue, Stores stores, DoneCheck doneCheck, WorkerListener listener,
		Path scratch, Duration poll, Duration taskTimeout, RetryBackoff backoff) {

		/** No timeout, retries at once: the local runs. */
		public Setup(TaskQueue queue, Stores stores, DoneCheck doneCheck, WorkerListener listener, Path scratch,
			Duration poll) {
			this(queue, stores, doneCheck, listener, scratch, poll, Duration.ZERO, RetryBackoff.NONE);
		}
	}

	/** How a try ended early, when something other than the task ended it. */
	private enum Ending { TIMED_OUT, ABORTED }

	/** The task in hand, guarded by the worker's lock. */
	private static final class InHand {
		final Delivery delivery;
		final Thread thread;
		Ending ending;
		String abortedBecause;

		InHand(Delivery delivery, Thread thread) {
			this.delivery = delivery;
			this.thread = thread;
		}
	}

	private final String name;
	private final Trace trace;
	private final TaskQueue queue;
	private final Stores stores;
	private final Runners runners;
	private final DoneCheck doneCheck;
	private final WorkerListener listener;
	private final Path scratch;
	private final Duration poll;
	private final Duration taskTimeout;
	private final RetryBackoff backoff;
	private final ScheduledExecutorService heartbeats;
	private volatile boolean stopping;
	private volatile long lastActive = System.nanoTime();
	/** Why the last receive failed, or null: cleared by the next one that works. */
	private volatile String queueTrouble;
	private final Object lock = new Object();
	private boolean aborting;
	private InHand inHand;

	public Worker(String name, Runners runners, Setup setup) {
		this(name, runners, setup, Trace.NONE);
	}

	/** A worker that records every try in {@code trace} (docs/trace.md). */
	public Worker(String name, Runners runners, Setup setup, Trace trace) {
		this.name = name;
		this.trace = trace;
		this.queue = setup.queue();
		this.stores = setup.stores();
		this.runners = runners;
		this.doneCheck = setup.doneCheck();
		this.listener = setup.listener();
		this.scratch = setup.scratch().resolve(name);
		this.poll = setup.poll();
		this.taskTimeout = setup.taskTimeout();
		this.backoff = setup.backoff();
		this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, name + "-heartbeat");
			t.setDaemon(true);
			return t;
		});
	}

	/**
	 * Works until {@link #stop()}; the task in hand is finished first. A queue that cannot be reached
	 * does not end the loop: it is asked again after a pause that grows while it stays unreachable.
	 */
	@Override
	public void run() {
		int problems = 0;
		try {
			while (!stopping) {
				try {
					runOnce(poll);
					problems = 0;
					queueTrouble = null;
				}
				catch (RuntimeException e) {
					queueTrouble = reason(e);
					Duration pause = QUEUE_TROUBLE.delay(++problems);
					listener.note("cannot work the queue (" + reason(e) + "); trying again in " + pause.toSeconds() + " s");
					pauseUnlessStopping(pause);
				}
			}
		}
		finally {
			runners.close();
			heartbeats.shutdownNow();
		}
	}

	private static final RetryBackoff QUEUE_TROUBLE = new RetryBackoff(Duration.ofSeconds(1), Duration.ofMinutes(1));

	private void pauseUnlessStopping(Duration pause) {
		long end = System.nanoTime() + pause.toNanos();
		try {
			while (!stopping && System.nanoTime() < end) Thread.sleep(Math.min(200, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			stopping = true;
		}
	}

	/** Asks the loop to end after the current task. */
	public void stop() {
		stopping = true;
	}

	/**
	 * Stops receiving and hands the task in hand back to the queue now, visible to other workers at
	 * once; its thread is interrupted (a runner that launched a process destroys it). A task that
	 * finishes all the same is deleted as usual: its results are whole.
	 */
	public void abort(String why) {
		synchronized (lock) {
			stopping = true;
			aborting = true;
			if (inHand == null || inHand.ending != null) return;
			inHand.ending = Ending.ABORTED;
			inHand.abortedBecause = why;
			releaseQuietly(inHand.delivery, Duration.ZERO);
			listener.note("task " + inHand.delivery.task().label() + " handed back to the queue: " + why);
			inHand.thread.interrupt();
		}
	}

	/** Whether a task is in hand now. */
	public boolean busy() {
		synchronized (lock) {
			return inHand != null;
		}
	}

	/** Why the queue could not be worked the last time this worker asked it; empty when it could. */
	public Optional<String> queueTrouble() {
		return Optional.ofNullable(queueTrouble);
	}

	/** When ({@link System#nanoTime()}) this worker last received or finished a task, or was made. */
	public long lastActive() {
		return lastActive;
	}

	/** Receives and handles at most one task; false if none came within {@code wait}. */
	public boolean runOnce(Duration wait) {
		Optional<Delivery> received = queue.receive(wait);
		if (received.isEmpty()) return false;
		lastActive = System.nanoTime();
		Delivery delivery = received.get();
		Task task = delivery.task();
		InHand hand = new InHand(delivery, Thread.currentThread());
		synchronized (lock) {
			if (aborting) {
				// Received while the worker was being aborted: straight back to the queue.
				releaseQuietly(delivery, Duration.ZERO);
				return true;
			}
			inHand = hand;
		}
		try {
			if (doneCheck.isDone(stores.destination(), task.output())) {
				queue.delete(delivery);
				trace.skipped(name, task, delivery.receiveCount());
				listener.skipped(task);
				return true;
			}
			synchronized (lock) {
				if (hand.ending != null) return true; // aborted while checking: released already
			}
			work(hand);
			return true;
		}
		finally {
			synchronized (lock) {
				inHand = null;
			}
			Thread.interrupted(); // an interrupt meant for this task must not reach the next one
			lastActive = System.nanoTime();
		}
	}

	private void work(InHand hand) {
		Delivery delivery = hand.delivery;
		Task task = delivery.task();
		listener.started(task, delivery.receiveCount());
		long start = System.nanoTime();
		TaskLog log = new TaskLog();
		Trace.Try traced = trace.begin(name, task, delivery.receiveCount());
		ScheduledFuture<?> heartbeat = startHeartbeat(hand);
		ScheduledFuture<?> timeout = taskTimeout.isZero() ? null : heartbeats.schedule(() -> timeOut(hand, log),
			taskTimeout.toMillis(), TimeUnit.MILLISECONDS);
		try {
			execute(task, log, traced);
			Ending ending = finish(hand, heartbeat, timeout);
			// Whole results are stored: the task is done, even if it was being aborted meanwhile.
			deleteDone(delivery, log);
			if (ending == Ending.ABORTED) log.line("finished while being released; deleted all the same");
			listener.succeeded(task, Duration.ofNanos(System.nanoTime() - start), log);
			traced.end(Outcome.SUCCEEDED, null);
		}
		catch (Exception | LinkageError e) {
			Ending ending = finish(hand, heartbeat, timeout);
			if (ending == Ending.ABORTED) {
				// Released by abort already, visible to other workers at once.
				log.line("RELEASED: " + hand.abortedBecause + " (the task ended with: " + reason(e) + ")");
				listener.released(task, hand.abortedBecause, log);
				traced.end(Outcome.RELEASED, hand.abortedBecause);
				return;
			}
			String reason = ending == Ending.TIMED_OUT ? "timed out after " + Durations.readable(taskTimeout) : reason(e);
			Duration delay = backoff.delay(delivery.receiveCount());
			log.line("FAILED: " + reason + (delay.isZero() || delivery.receiveCount() >= queue.maxReceives() ? ""
				: "; next try in " + Durations.readable(delay)));
			releaseQuietly(delivery, delay);
			listener.failed(task, delivery.receiveCount(), queue.maxReceives(), reason, log);
			traced.end(ending == Ending.TIMED_OUT ? Outcome.TIMED_OUT : Outcome.FAILED, reason);
		}
		finally {
			deleteTree(scratch);
		}
	}

	/** Ends the heartbeat and the timeout; says how the try was ended, if something else ended it. */
	private Ending finish(InHand hand, ScheduledFuture<?> heartbeat, ScheduledFuture<?> timeout) {
		synchronized (lock) {
			heartbeat.cancel(false);
			if (timeout != null) timeout.cancel(false);
			Ending ending = hand.ending;
			inHand = null;
			return ending;
		}
	}

	/** The timeout's action: interrupts the task's thread, once, unless the try has ended. */
	private void timeOut(InHand hand, TaskLog log) {
		synchronized (lock) {
			if (inHand != hand || hand.ending != null) return;
			hand.ending = Ending.TIMED_OUT;
			log.line("timed out after " + Durations.readable(taskTimeout) + ": stopping the task");
			hand.thread.interrupt();
		}
	}

	/**
	 * A done task stays done when the queue refuses its delete (the client's retries could not outlast
	 * a throttle, or the queue is out of reach): it is not reported failed nor released to run again.
	 */
	private void deleteDone(Delivery delivery, TaskLog log) {
		try {
			queue.delete(delivery);
		}
		catch (RuntimeException e) {
			log.line("done, but not deleted from the queue (" + reason(e) + "): it is received again after its visibility"
				+ " timeout, and then " + (doneCheck.enabled() ? "skipped as done (CHECK_IF_DONE_BOOL)" : "run again"));
		}
	}

	private void releaseQuietly(Delivery delivery, Duration delay) {
		try {
			queue.release(delivery, delay);
		}
		catch (RuntimeException e) {
			// The visibility timeout brings the task back all the same, only later.
			listener.note("could not release task " + delivery.task().label() + " (" + reason(e)
				+ "); it is visible again after its visibility timeout");
		}
	}

	private void execute(Task task, TaskLog log, Trace.Try traced) throws Exception {
		// A fresh folder for every task: nothing of one task leaks into the next.
		deleteTree(scratch);
		Path inputDir = Files.createDirectories(scratch.resolve("input"));
		Path outputDir = Files.createDirectories(scratch.resolve("output"));
		// The job reader refused such keys already; a task written to the queue by anyone else did not pass it.
		KeyRule.require(task.output(), "output prefix");
		Path dataFile = task.dataFile() == null ? null : KeyRule.resolve(inputDir, task.dataFile(), "data file");
		Map<String, Path> inputs = new LinkedHashMap<>();
		for (String key : task.inputs()) inputs.put(key, KeyRule.resolve(inputDir, key, "input key"));
		Path script = stores.script(task, scratch.resolve("script"));
		if (dataFile != null) stores.workspace().get(task.dataFile(), dataFile);
		// Many files at once: the S3 store moves them in parallel.
		stores.source().getAll(inputs, (key, bytes) -> {
			traced.fetched(bytes);
			log.line("fetched " + key + " (" + bytes + " bytes)");
		});
		Runner runner = runners.forTask(task, script);
		TaskRun run = new TaskRun(task, scratch, script, inputDir, outputDir, log);
		runner.fetchInputs(run, stores.source());
		try (var captured = TaskOutput.capture(log)) {
			runner.run(run);
		}
		List<Path> results;
		try (Stream<Path> files = Files.walk(outputDir)) {
			results = files.filter(Files::isRegularFile).sorted().toList();
		}
		Map<String, Path> outputs = new LinkedHashMap<>();
		for (Path file : results) {
			String relative = outputDir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
			outputs.put(KeyRule.require(join(task.output(), relative), "result key"), file);
		}
		stores.destination().putAll(outputs, (key, bytes) -> {
			traced.stored(bytes);
			log.line("stored " + key + " (" + bytes + " bytes)");
		});
		log.line("stored " + results.size() + " result file(s) under " + task.output());
	}

	/**
	 * Extends the task's visibility well before it runs out, for as long as the task runs. A beat
	 * holds the lock, so none can hide the task again after {@link #abort} released it.
	 */
	private ScheduledFuture<?> startHeartbeat(InHand hand) {
		Duration visibility = queue.visibility();
		long periodMs = Math.max(100, visibility.toMillis() / 3);
		return heartbeats.scheduleAtFixedRate(() -> {
			synchronized (lock) {
				if (hand.ending == Ending.ABORTED || inHand != hand) return;
				try {
					queue.extendVisibility(hand.delivery, visibility);
				}
				catch (RuntimeException e) {
					// A missed beat is retried at the next period; the task itself goes on.
				}
			}
		}, periodMs, periodMs, TimeUnit.MILLISECONDS);
	}

	static String join(String prefix, String relative) {
		if (prefix == null || prefix.isEmpty()) return relative;
		return prefix.endsWith("/") ? prefix + relative : prefix + "/" + relative;
	}

	private static String reason(Throwable e) {
		if (e instanceof TaskFailure || e instanceof ParascopeException) return e.getMessage();
		String message = e.getMessage();
		return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
	}

	private static void deleteTree(Path dir) {
		if (!Files.exists(dir)) return;
		try (Stream<Path> walk = Files.walk(dir)) {
			for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot clean the task folder " + dir, e);
		}
	}
}
