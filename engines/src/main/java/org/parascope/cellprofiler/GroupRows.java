package org.parascope.cellprofiler;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.parascope.ParascopeException;
import org.parascope.worker.TaskLog;
import org.parascope.worker.TaskProcess;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The rows of a LoadData CSV that CellProfiler runs for a task's group, as CellProfiler itself
 * decides: its own Python reads the CSV through the pipeline's input modules and picks the group as
 * {@code cellprofiler -g} does (group_rows.py). Not re-implemented here, because the rule has many
 * parts (LoadData types a column from all its values, so {@code 01} is the group value {@code 1};
 * it can make a well from a row and a column; a row range; the -g text's own parsing) and differs
 * from the text of the CSV exactly where plates look like numbers (docs/cellprofiler.md).
 */
final class GroupRows {

	private static final String SCRIPT = "group_rows.py";
	private static final ObjectMapper JSON = new ObjectMapper();

	private final String executable;
	private final Path pluginsDirectory;

	/** @param pluginsDirectory null unless USE_PLUGINS: a pipeline with plugin modules loads only with them */
	GroupRows(String executable, Path pluginsDirectory) {
		this.executable = executable;
		this.pluginsDirectory = pluginsDirectory;
	}

	/**
	 * The 0-based indices, among the CSV's non-blank data rows, of the rows {@code cellprofiler -c -r
	 * -p pipeline --data-file=csv -g <group>} runs; never empty.
	 *
	 * @param name the data file's key, for messages
	 * @param work a folder for the helper's files
	 */
	Set<Integer> of(Path pipeline, Path csv, String name, Map<String, String> metadata, Path work)
		throws IOException, InterruptedException
	{
		Path python = CellProfilerPython.of(executable).orElseThrow(() -> new ParascopeException("DOWNLOAD_FILES: no"
			+ " Python found for CellProfiler's program " + executable + " (CELLPROFILER_EXECUTABLE), which picks the"
			+ " rows of " + name + " to fetch"));
		Path folder = Files.createDirectories(work);
		Path script = folder.resolve(SCRIPT), answer = folder.resolve("group_rows.json");
		try (InputStream in = GroupRows.class.getResourceAsStream(SCRIPT)) {
			Files.copy(in, script);
		}
		String group = CellProfilerCommand.groups(metadata);
		List<String> argv = new ArrayList<>(List.of(python.toString(), script.toString(), pipeline.toString(),
			csv.toString(), group, answer.toString()));
		if (pluginsDirectory != null) argv.add(pluginsDirectory.toString());
		TaskLog quiet = new TaskLog();
		TaskProcess.Ended ended = TaskProcess.run(argv, folder, quiet);
		if (ended.exitCode() != 0 || !Files.exists(answer)) {
			throw new ParascopeException(name + ": CellProfiler cannot pick the rows of group " + group + " (-g): "
				+ (ended.lastLine().isEmpty() ? "its Python exited with code " + ended.exitCode() : ended.lastLine()));
		}
		return rows(JSON.readTree(answer.toFile()), name, group);
	}

	/**
	 * The rows in group_rows.py's answer (from its process, or from a warm CellProfiler), never empty.
	 *
	 * @param group the -g text
	 */
	static Set<Integer> rows(JsonNode json, String name, String group) {
		if (json.has("error")) {
			throw new ParascopeException(name + ": CellProfiler cannot pick the rows of group " + group + " (-g): "
				+ json.get("error").asText());
		}
		Set<Integer> rows = new LinkedHashSet<>();
		json.get("rows").forEach(row -> rows.add(row.asInt()));
		if (rows.isEmpty()) {
			throw new ParascopeException(name + " has no rows for this task: CellProfiler's -g " + group + " matches none of"
				+ " its " + json.get("groups").asInt() + " group(s), such as " + json.get("examples")
				+ " (LoadData reads a column of whole numbers as numbers: 01 is 1)");
		}
		return rows;
	}
}
