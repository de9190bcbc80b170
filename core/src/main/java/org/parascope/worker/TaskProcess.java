package org.parascope.worker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.parascope.ParascopeException;
import org.parascope.progress.Durations;
import org.parascope.trace.TryUsage;

/**
 * An engine's program run for one task, from an argv list (no shell: spaces in arguments are safe).
 * What it prints, standard output and error merged, goes into the task's log line by line as it is
 * printed. An interrupt of the waiting thread (the per-task timeout, a stopping worker) ends the
 * program and every process it started; so does the time limit of a program run with one.
 */
public final class TaskProcess {

	/** How the program ended; {@code lastLine} is its last non-blank line of output ("" if none). */
	public record Ended(int exitCode, String lastLine) {}

	/** Output still in the pipe after the program ended is read for at most this long. */
	private static final long DRAIN_MILLIS = 5_000;

	private TaskProcess() {}

	/**
	 * Runs {@code argv} in {@code dir} until it ends.
	 *
	 * @throws ParascopeException   when the program cannot be started (e.g. not installed)
	 * @throws InterruptedException after ending the program and its children
	 */
	public static Ended run(List<String> argv, Path dir, TaskLog log) throws InterruptedException {
		return execute(argv, dir, Map.of(), log, null);
	}

	/**
	 * Runs {@code argv} in {@code dir}, with {@code environment} added to this process's, for at most
	 * {@code limit}.
	 *
	 * @throws ParascopeException   when the program cannot be started, or has not ended within the
	 *                              limit (it and its children are then ended)
	 * @throws InterruptedException after ending the program and its children
	 */
	public static Ended run(List<String> argv, Path dir, Map<String, String> environment, TaskLog log, Duration limit)
		throws InterruptedException
	{
		return execute(argv, dir, environment, log, Objects.requireNonNull(limit, "limit"));
	}

	/** {@code limit} null: no limit. */
	private static Ended execute(List<String> argv, Path dir, Map<String, String> environment, TaskLog log, Duration limit)
		throws InterruptedException
	{
		Process process;
		try {
			ProcessBuilder builder = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true);
			builder.environment().putAll(environment);
			process = builder.start();
			TryUsage.track(process);
		}
		catch (IOException e) {
			throw new ParascopeException("cannot start " + argv.get(0) + ": " + e.getMessage());
		}
		Output output = new Output(process, log);
		Thread pump = new Thread(output, Thread.currentThread().getName() + "-output");
		pump.setDaemon(true);
		pump.start();
		try {
			if (limit == null) process.waitFor();
			else if (!process.waitFor(limit.toNanos(), TimeUnit.NANOSECONDS)) {
				destroyTree(process);
				throw new ParascopeException(argv.get(0) + " did not end within " + Durations.readable(limit)
					+ "; it was ended with every process it started");
			}
			pump.join(DRAIN_MILLIS);
			return new Ended(process.exitValue(), output.lastLine());
		}
		catch (InterruptedException e) {
			destroyTree(process);
			throw e;
		}
	}

	/** Ends a program and every process it started: children first, listed before the parent dies (they would be re-parented and lost). */
	public static void destroyTree(Process process) {
		List<ProcessHandle> children = process.descendants().toList();
		children.forEach(ProcessHandle::destroyForcibly);
		process.destroyForcibly();
	}

	/** Copies the program's output into the log as it comes. */
	private static final class Output implements Runnable {
		private final Process process;
		private final TaskLog log;
		private volatile String lastLine = "";

		Output(Process process, TaskLog log) {
			this.process = process;
			this.log = log;
		}

		String lastLine() {
			return lastLine;
		}

		@Override
		public void run() {
			try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				for (String line = reader.readLine(); line != null; line = reader.readLine()) {
					log.line(line);
					if (!line.isBlank()) lastLine = line.strip();
				}
			}
			catch (IOException e) {
				// The pipe closes when the program is destroyed; a read error there is no news.
				if (process.isAlive()) throw new UncheckedIOException(e);
			}
		}
	}
}
