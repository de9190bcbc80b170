package org.parascope.plugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.parascope.ParascopeException;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A dataset's groups as a job file in Parascope's own format (docs/jobs.md): the commands write it, core
 * reads and validates it like any other. Each task's metadata holds its grouping values, which name its
 * output folder, and {@code files}: its files' paths below the task's input folder, comma-separated, so
 * that a macro opens them with {@code split(files, ",")}.
 */
final class DatasetJob {

	static final String FILES = "files";
	private static final JsonMapper JSON = new JsonMapper();

	private DatasetJob() {}

	/**
	 * Writes the job to {@code file}. {@code parameters} go to every task; {@code inputKey} gives a file's key in
	 * the source store; {@code output} is the destination prefix.
	 */
	static Path write(Path file, String name, String scriptKey, String output, Map<String, String> parameters,
		List<Grouping.Group> groups, java.util.function.Function<Path, String> inputKey)
	{
		ObjectNode job = JSON.createObjectNode();
		job.put("parascope_job", 1).put("name", name).put("engine", "fiji").put("script", scriptKey).put("output", output);
		job.put("output_structure", String.join("-", groups.get(0).metadata().keySet()));
		ObjectNode shared = job.putObject("parameters");
		parameters.forEach(shared::put);
		ArrayNode tasks = job.putArray("tasks");
		for (Grouping.Group group : groups) {
			ObjectNode task = tasks.addObject();
			ObjectNode metadata = task.putObject("metadata");
			group.metadata().forEach(metadata::put);
			List<String> keys = group.files().stream().map(inputKey).toList();
			metadata.put(FILES, String.join(",", keys));
			ArrayNode inputs = task.putArray("inputs");
			keys.forEach(inputs::add);
		}
		try {
			Files.createDirectories(file.getParent());
			JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), job);
			return file;
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot write " + file, e);
		}
	}

	/** {@code name=value, name=value} as a macro writes it; values may hold '=' but not ','. */
	static Map<String, String> parameters(String text) {
		Map<String, String> parameters = new LinkedHashMap<>();
		if (text == null || text.isBlank()) return parameters;
		for (String part : text.split(",")) {
			int eq = part.indexOf('=');
			String name = eq < 0 ? "" : part.substring(0, eq).strip();
			if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
				throw new ParascopeException("parameters: expected name=value, got '" + part.strip() + "' in '" + text + "'");
			}
			parameters.put(name, part.substring(eq + 1).strip());
		}
		return parameters;
	}

	/** The output prefix a job file names (the commands' own jobs, found again by Download Results). */
	static String output(Path jobFile) {
		try {
			return JSON.readTree(jobFile.toFile()).path("output").asText();
		}
		catch (IOException e) {
			throw new ParascopeException(jobFile + ": cannot read the job file: " + e.getMessage());
		}
	}

	/** For messages: how many tasks of how many files. */
	static String describe(List<Grouping.Group> groups) {
		return groups.size() + " task" + (groups.size() == 1 ? "" : "s") + " of "
			+ groups.stream().collect(Collectors.summingInt(g -> g.files().size())) + " files";
	}
}
