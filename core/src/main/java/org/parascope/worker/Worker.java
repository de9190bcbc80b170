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
import org.parascope.queue.Delivery;
import org.parascope.queue.TaskQueue;

/**
 * The one task loop, the same locally and in the cloud: receive, skip if done, fetch inputs, run,
 * store outputs, delete. A failed task is released for another try; the queue dead-letters it
 * after its last try. While a task runs, a heartbeat keeps it hidden from other workers.
 */
public final class Worker implements Runnable {

	/**
	 * What every worker of a fleet shares.
	 *
	 * @param scratch the folder below which each worker keeps its task folder
	 * @param poll    how long one receive waits; also how long a stop may take while idle
	 */
	public record Setup(TaskQueue queue, Stores stores, DoneCheck doneCheck, WorkerListener listener,
		Path scratch, Duration poll) {}

	private final TaskQueue queue;
	private final Stores stores;
	private final Runners runners;
	private final DoneCheck doneCheck;
	private final WorkerListener listener;
	private final Path scratch;
	private final Duration poll;
	private final ScheduledExecutorService heartbeats;
	private volatile boolean stopping;

	public Worker(String name, Runners runners, Setup setup) {
		this.queue = setup.queue();
		this.stores = setup.stores();
		this.runners = runners;
		this.doneCheck = setup.doneCheck();
		this.listener = setup.listener();
		this.scratch = setup.scratch().resolve(name);
		this.poll = setup.poll();
		this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, name + "-heartbeat");
			t.setDaemon(true);
			return t;
		});
	}

	/** Works until {@link #stop()}; the task in hand is finished first. */
	@Override
	public void run() {
		try {
			while (!stopping) runOnce(poll);
		}
		finally {
			runners.close();
			heartbeats.shutdownNow();
		}
	}

	/** Asks the loop to end after the current task. */
	public void stop() {
		stopping = true;
	}

	/** Receives and handles at most one task; false if none came within {@code wait}. */
	public boolean runOnce(Duration wait) {
		Optional<Delivery> received = queue.receive(wait);
		if (received.isEmpty()) return false;
		Delivery delivery = received.get();
		Task task = delivery.task();
		if (doneCheck.isDone(stores.destination(), task.output())) {
			queue.delete(delivery);
			listener.skipped(task);
			return true;
		}
		listener.started(task, delivery.receiveCount());
		long start = System.nanoTime();
		TaskLog log = new TaskLog();
		ScheduledFuture<?> heartbeat = startHeartbeat(delivery);
		try {
			execute(task, log);
			heartbeat.cancel(false);
			queue.delete(delivery);
			listener.succeeded(task, Duration.ofNanos(System.nanoTime() - start), log);
		}
		catch (Exception | LinkageError e) {
			heartbeat.cancel(false);
			String reason = reason(e);
			log.line("FAILED: " + reason);
			queue.release(delivery, Duration.ZERO);
			listener.failed(task, delivery.receiveCount(), queue.maxReceives(), reason, log);
		}
		finally {
			deleteTree(scratch);
		}
		return true;
	}

	private void execute(Task task, TaskLog log) throws Exception {
		// A fresh folder for every task: nothing of one task leaks into the next.
		deleteTree(scratch);
		Path inputDir = Files.createDirectories(scratch.resolve("input"));
		Path outputDir = Files.createDirectories(scratch.resolve("output"));
		Path script = stores.script(task, scratch.resolve("script"));
		if (task.dataFile() != null) stores.workspace().get(task.dataFile(), inputDir.resolve(task.dataFile()));
		// Many files at once: the S3 store moves them in parallel.
		Map<String, Path> inputs = new LinkedHashMap<>();
		for (String key : task.inputs()) inputs.put(key, inputDir.resolve(key));
		stores.source().getAll(inputs, (key, bytes) -> log.line("fetched " + key + " (" + bytes + " bytes)"));
		Runner runner = runners.forTask(task, script);
		try (var captured = TaskOutput.capture(log)) {
			runner.run(new TaskRun(task, scratch, script, inputDir, outputDir, log));
		}
		List<Path> results;
		try (Stream<Path> files = Files.walk(outputDir)) {
			results = files.filter(Files::isRegularFile).sorted().toList();
		}
		Map<String, Path> outputs = new LinkedHashMap<>();
		for (Path file : results) {
			String relative = outputDir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
			outputs.put(join(task.output(), relative), file);
		}
		stores.destination().putAll(outputs, (key, bytes) -> log.line("stored " + key + " (" + bytes + " bytes)"));
		log.line("stored " + results.size() + " result file(s) under " + task.output());
	}

	/** Extends the task's visibility well before it runs out, for as long as the task runs. */
	private ScheduledFuture<?> startHeartbeat(Delivery delivery) {
		Duration visibility = queue.visibility();
		long periodMs = Math.max(100, visibility.toMillis() / 3);
		return heartbeats.scheduleAtFixedRate(() -> {
			try {
				queue.extendVisibility(delivery, visibility);
			}
			catch (RuntimeException e) {
				// A missed beat is retried at the next period; the task itself goes on.
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
