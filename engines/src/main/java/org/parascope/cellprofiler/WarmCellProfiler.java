package org.parascope.cellprofiler;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.parascope.worker.TaskLog;
import org.parascope.worker.TaskProcess;

/**
 * One long-lived CellProfiler process that runs task after task (warm_cellprofiler.py, in CellProfiler's
 * own Python): Python's imports, the JVM and the modules load once, not once per task. A task is the very
 * argv the {@code cellprofiler} program would get; its output goes to the task's log as it is printed,
 * and the answer is the exit code a fresh process would have had. Used by one worker thread at a time.
 */
final class WarmCellProfiler implements AutoCloseable {

	/** The process died, or stopped answering, before it answered a task: the task was not run to the end. */
	static final class Died extends Exception {
		Died(String message) {
			super(message);
		}
	}

	private static final ObjectMapper JSON = new ObjectMapper();
	/** A line that starts with this is an answer; anything else is CellProfiler's output. */
	private final String marker;
	private final Process process;
	private final Writer requests;
	private final LinkedBlockingQueue<JsonNode> answers = new LinkedBlockingQueue<>();
	/** Where the process's output goes now: the current task's log, or the worker's notes between tasks. */
	private volatile Consumer<String> output;
	private volatile String lastLine = "";
	private int tasks;

	private WarmCellProfiler(Process process, String marker, Consumer<String> notes) {
		this.process = process;
		this.marker = marker;
		this.requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
		this.output = notes;
		Thread pump = new Thread(() -> pump(process.getInputStream()), "warm-cellprofiler-" + process.pid());
		pump.setDaemon(true);
		pump.start();
	}

	/**
	 * Starts CellProfiler in {@code python} and waits until it is ready; what it prints while starting
	 * goes to {@code notes}.
	 *
	 * @throws Died when it cannot start (CellProfiler not importable in that Python, a JVM that fails)
	 */
	static WarmCellProfiler start(Path python, Path script, Consumer<String> notes) throws Died, InterruptedException {
		String marker = "@@parascope-warm-" + UUID.randomUUID() + "@@ ";
		ProcessBuilder builder = new ProcessBuilder(List.of(python.toString(), "-u", script.toString()))
			.redirectErrorStream(true);
		builder.environment().put("PARASCOPE_WARM_MARKER", marker);
		Process process;
		try {
			process = builder.start();
		}
		catch (IOException e) {
			throw new Died("cannot start " + python + ": " + e.getMessage());
		}
		WarmCellProfiler warm = new WarmCellProfiler(process, marker, notes);
		try {
			warm.answer();
			return warm;
		}
		catch (Died | InterruptedException | RuntimeException e) {
			TaskProcess.destroyTree(process);
			throw e;
		}
	}

	/** The process id, for the task's log. */
	long pid() {
		return process.pid();
	}

	/** Tasks this process has run. */
	int tasks() {
		return tasks;
	}

	/** The process's resident memory in bytes (Linux), for the memory ceiling; empty where unknown. */
	OptionalLong residentBytes() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
				if (line.startsWith("VmRSS:")) {
					return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
				}
			}
		}
		catch (IOException | NumberFormatException e) {
			// Not Linux, or the process is gone: no reading.
		}
		return OptionalLong.empty();
	}

	/**
	 * Runs one task: {@code argv} as the {@code cellprofiler} program would get it (without the program
	 * itself), in {@code dir}; what it prints goes into {@code log}.
	 *
	 * @return the exit code a fresh process would have had
	 * @throws Died                 when the process died during the task (it is then gone)
	 * @throws InterruptedException after ending the process and its children (a timeout, a stopping worker)
	 */
	int run(List<String> argv, Path dir, TaskLog log) throws Died, InterruptedException {
		JsonNode answer = ask(Map.of("argv", argv, "cwd", dir.toString()), log);
		tasks++;
		return answer.path("exit").asInt(1);
	}

	private JsonNode ask(Map<String, Object> request, TaskLog log) throws Died, InterruptedException {
		lastLine = "";
		output = log::line;
		try {
			requests.write(JSON.writeValueAsString(request) + "\n");
			requests.flush();
			return answer();
		}
		catch (IOException e) {
			TaskProcess.destroyTree(process);
			throw new Died("it stopped taking tasks (" + e.getMessage() + ")");
		}
		catch (InterruptedException e) {
			TaskProcess.destroyTree(process);
			throw e;
		}
		finally {
			output = line -> {};
		}
	}

	/**
	 * DOWNLOAD_FILES: group_rows.py's answer (the CSV rows that {@code -g groups} runs) from this process,
	 * instead of a CellProfiler started for the question; {@code {"error": ...}} when CellProfiler cannot
	 * answer it. What it prints goes into {@code log}.
	 *
	 * @param plugins null unless USE_PLUGINS
	 * @throws Died when the process died meanwhile (it is then gone)
	 */
	JsonNode rows(Path pipeline, Path csv, String groups, Path plugins, TaskLog log) throws Died, InterruptedException {
		Map<String, String> question = new java.util.LinkedHashMap<>(Map.of("pipeline", pipeline.toString(),
			"csv", csv.toString(), "groups", groups));
		if (plugins != null) question.put("plugins", plugins.toString());
		return ask(Map.of("rows", question), log);
	}

	/** The last non-blank line the current task printed, for a short failure message. */
	String lastLine() {
		return lastLine;
	}

	private JsonNode answer() throws Died, InterruptedException {
		while (true) {
			JsonNode answer = answers.poll(1, TimeUnit.SECONDS);
			if (answer != null) return answer;
			if (!process.isAlive()) {
				// Its last words may still be on their way to the log.
				answer = answers.poll(2, TimeUnit.SECONDS);
				if (answer != null) return answer;
				throw new Died("it exited with code " + process.exitValue()
					+ (lastLine.isEmpty() ? "" : "; its last words: " + lastLine));
			}
		}
	}

	private void pump(InputStream in) {
		try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				if (line.startsWith(marker)) {
					answers.add(JSON.readTree(line.substring(marker.length())));
					continue;
				}
				output.accept(line);
				if (!line.isBlank()) lastLine = line.strip();
			}
		}
		catch (IOException e) {
			// The pipe closes when the process is destroyed; a read error there is no news.
			if (process.isAlive()) throw new UncheckedIOException(e);
		}
	}

	/** Ends the process: its input closed so it leaves by itself, then ended with its children. */
	@Override
	public void close() {
		try {
			requests.close();
			if (!process.waitFor(5, TimeUnit.SECONDS)) TaskProcess.destroyTree(process);
		}
		catch (IOException e) {
			TaskProcess.destroyTree(process);
		}
		catch (InterruptedException e) {
			TaskProcess.destroyTree(process);
			Thread.currentThread().interrupt();
		}
	}
}
