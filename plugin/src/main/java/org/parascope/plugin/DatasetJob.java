package org.parascope.plugin;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.parascope.ParascopeException;
import org.parascope.job.Engine;
import org.parascope.job.make.FileGrouping;
import org.parascope.job.make.FilesJob;

import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * A dataset's groups as a job file in Parascope's own format, written by core's {@link FilesJob} (docs/jobs.md),
 * which core reads and validates like any other. Each task's metadata holds its grouping values, which name its
 * output folder, and {@code files}: its files' paths below the task's input folder, comma-separated, so that a
 * macro opens them with {@code split(files, ",")}.
 */
final class DatasetJob {

	private static final JsonMapper JSON = new JsonMapper();

	private DatasetJob() {}

	/**
	 * Writes the job to {@code file}. {@code parameters} go to every task; {@code inputKey} gives a file's key in
	 * the source store from its path below the dataset's folder; {@code output} is the destination prefix.
	 */
	static Path write(Path file, String name, String scriptKey, String output, Map<String, String> parameters,
		List<FileGrouping.Group> groups, Function<String, String> inputKey)
	{
		return FilesJob.writeNative(file, name, Engine.FIJI, scriptKey, output, parameters, groups, inputKey);
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
	static String describe(List<FileGrouping.Group> groups) {
		return groups.size() + " task" + (groups.size() == 1 ? "" : "s") + " of "
			+ groups.stream().collect(Collectors.summingInt(g -> g.files().size())) + " files";
	}
}
