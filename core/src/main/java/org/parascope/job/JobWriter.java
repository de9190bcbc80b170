package org.parascope.job;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * Writes a job file in Parascope's own format (docs/jobs.md) one task at a time, so that a million
 * tasks need no more memory than one. The file appears whole or not at all: it is written beside its
 * place and moved there by {@link #close()} (after {@link #abandon()} it is deleted instead).
 */
public final class JobWriter implements AutoCloseable {

	/**
	 * The job-level keys.
	 *
	 * @param outputStructure null for none
	 * @param dataFile        null when each task names its own, or for Fiji
	 * @param input           CellProfiler's -i folder; null for none
	 */
	public record Header(String name, Engine engine, String script, String output, String outputStructure,
		Map<String, String> parameters, String dataFile, String input) {}

	private final Path file;
	private final Path partial;
	private final Writer out;
	private long tasks;
	private boolean done;

	private JobWriter(Path file, Path partial, Writer out) {
		this.file = file;
		this.partial = partial;
		this.out = out;
	}

	public static JobWriter open(Path file, Header header) {
		JobName.check(header.name());
		Path target = file.toAbsolutePath();
		try {
			Files.createDirectories(target.getParent());
			Path partial = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".partial");
			JobWriter writer = new JobWriter(target, partial, Files.newBufferedWriter(partial, StandardCharsets.UTF_8));
			writer.header(header);
			return writer;
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot write " + file, e);
		}
	}

	/** The job-level keys one per line, then the task list, one task per line: a diff shows the tasks that differ. */
	private void header(Header h) throws IOException {
		StringBuilder b = new StringBuilder("{\n \"parascope_job\": 1");
		field(b, "name", h.name());
		field(b, "engine", h.engine().id());
		if (h.script() != null) field(b, "script", h.script());
		field(b, "output", h.output());
		if (h.outputStructure() != null) field(b, "output_structure", h.outputStructure());
		if (!h.parameters().isEmpty()) object(b.append(",\n \"parameters\": "), h.parameters());
		if (h.dataFile() != null) field(b, "data_file", h.dataFile());
		if (h.input() != null) field(b, "input", h.input());
		out.write(b.append(",\n \"tasks\": [").toString());
	}

	private static void field(StringBuilder b, String key, String value) {
		b.append(",\n ").append(quoted(key)).append(": ").append(quoted(value));
	}

	private static void object(StringBuilder b, Map<String, String> values) {
		b.append('{');
		String separator = "";
		for (Map.Entry<String, String> e : values.entrySet()) {
			b.append(separator).append(quoted(e.getKey())).append(": ").append(quoted(e.getValue()));
			separator = ", ";
		}
		b.append('}');
	}

	private static String quoted(String text) {
		try {
			return JobFile.JSON.writeValueAsString(text);
		}
		catch (JsonProcessingException e) {
			throw new IllegalStateException(e); // a string always serializes
		}
	}

	/**
	 * Adds a task.
	 *
	 * @param inputs   keys in the source store
	 * @param dataFile this task's own data file; null for the job's
	 */
	public void task(Map<String, String> metadata, List<String> inputs, String dataFile) {
		StringBuilder b = new StringBuilder(128).append(tasks == 0 ? "\n  " : ",\n  ").append("{\"metadata\": ");
		object(b, metadata);
		if (!inputs.isEmpty()) {
			b.append(", \"inputs\": [");
			for (int i = 0; i < inputs.size(); i++) b.append(i == 0 ? "" : ", ").append(quoted(inputs.get(i)));
			b.append(']');
		}
		if (dataFile != null) b.append(", \"data_file\": ").append(quoted(dataFile));
		try {
			out.write(b.append('}').toString());
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot write " + file, e);
		}
		tasks++;
	}

	public long taskCount() {
		return tasks;
	}

	public Path file() {
		return file;
	}

	/** Deletes what was written: the job file does not appear. */
	public void abandon() {
		done = true;
		try {
			out.close();
		}
		catch (IOException ignored) {
			// Deleted next either way.
		}
		try {
			Files.deleteIfExists(partial);
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot delete " + partial, e);
		}
	}

	/** Ends the file and moves it to its place. */
	@Override
	public void close() {
		if (done) return;
		done = true;
		try {
			out.write(tasks == 0 ? "]\n}\n" : "\n ]\n}\n");
			out.close();
			Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException e) {
			abandon();
			throw new UncheckedIOException("cannot write " + file, e);
		}
	}
}
