package org.parascope.job.make;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.parascope.job.Engine;
import org.parascope.job.JobWriter;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Groups of files as a job file: Parascope's own format (the Fiji plugin's and {@code job from-files}'),
 * or Distributed-Fiji's. Each task's metadata holds its grouping values and {@value #FILES}: its files'
 * keys, comma-separated, so that a macro opens them with {@code split(files, ",")}.
 */
public final class FilesJob {

	public static final String FILES = "files";

	private FilesJob() {}

	/**
	 * @param inputKey a file's key in the source store
	 * @param output   the destination prefix; tasks write below it, in folders named by their metadata
	 */
	public static Path writeNative(Path file, String name, Engine engine, String script, String output,
		Map<String, String> parameters, List<FileGrouping.Group> groups, Function<String, String> inputKey)
	{
		String structure = String.join("-", groups.get(0).metadata().keySet());
		JobWriter writer = JobWriter.open(file, new JobWriter.Header(name, engine, script, output, structure, parameters, null, null));
		try {
			for (FileGrouping.Group group : groups) {
				List<String> keys = group.files().stream().map(inputKey).toList();
				Map<String, String> metadata = new LinkedHashMap<>(group.metadata());
				metadata.put(FILES, String.join(",", keys));
				writer.task(metadata, keys, null);
			}
		}
		catch (RuntimeException e) {
			writer.abandon();
			throw e;
		}
		writer.close();
		return writer.file();
	}

	/**
	 * Distributed-Fiji's format: its scripts find their files themselves, from shared_metadata's
	 * input_file_location and each group's values (here also {@value #FILES}); they write to
	 * output_file_location directly.
	 */
	public static Path writeDistributedFiji(Path file, String inputLocation, String output, Map<String, String> parameters,
		List<FileGrouping.Group> groups, Function<String, String> inputKey)
	{
		JsonMapper json = new JsonMapper();
		ObjectNode job = json.createObjectNode();
		job.put("output_file_location", output);
		ObjectNode shared = job.putObject("shared_metadata");
		shared.put("input_file_location", inputLocation);
		parameters.forEach(shared::put);
		var list = job.putArray("groups");
		for (FileGrouping.Group group : groups) {
			ObjectNode g = list.addObject();
			group.metadata().forEach(g::put);
			g.put(FILES, String.join(",", group.files().stream().map(inputKey).toList()));
		}
		try {
			Path target = file.toAbsolutePath();
			Files.createDirectories(target.getParent());
			Path partial = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".partial");
			json.writerWithDefaultPrettyPrinter().writeValue(partial.toFile(), job);
			return Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot write " + file, e);
		}
	}
}
