package org.parascope.job.make;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

import org.parascope.ParascopeException;
import org.parascope.job.Engine;
import org.parascope.job.JobWriter;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A LoadData CSV's groups as a CellProfiler job: Distributed-CellProfiler's format or Parascope's. */
public final class LoadDataJob {

	/** The keys every task shares; {@code input} and {@code outputStructure} may be null. */
	public record Keys(String pipeline, String dataFile, String input, String output, String outputStructure) {}

	private LoadDataJob() {}

	/** Writes to {@code file}, or when it is null to {@code out} (the command's standard output). */
	public static void writeDistributedCellProfiler(Path file, PrintWriter out, Keys keys, List<Map<String, String>> groups) {
		checkValues(groups);
		JsonMapper json = new JsonMapper();
		ObjectNode job = json.createObjectNode();
		job.put("pipeline", keys.pipeline()).put("data_file", keys.dataFile());
		if (keys.input() != null) job.put("input", keys.input());
		job.put("output", keys.output());
		if (keys.outputStructure() != null) job.put("output_structure", keys.outputStructure());
		var list = job.putArray("groups");
		for (Map<String, String> group : groups) {
			StringBuilder text = new StringBuilder();
			group.forEach((k, v) -> text.append(text.length() == 0 ? "" : ",").append(k).append('=').append(v));
			list.addObject().put("Metadata", text.toString());
		}
		try {
			if (file == null) {
				out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(job));
				out.flush();
				return;
			}
			Path target = file.toAbsolutePath();
			Files.createDirectories(target.getParent());
			Path partial = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".partial");
			json.writerWithDefaultPrettyPrinter().writeValue(partial.toFile(), job);
			Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot write " + file, e);
		}
	}

	public static Path writeNative(Path file, String name, Keys keys, List<Map<String, String>> groups) {
		checkValues(groups);
		JobWriter writer = JobWriter.open(file, new JobWriter.Header(name, Engine.CELLPROFILER, keys.pipeline(), keys.output(),
			keys.outputStructure(), Map.of(), keys.dataFile(), keys.input()));
		for (Map<String, String> group : groups) writer.task(group, List.of(), null);
		writer.close();
		return writer.file();
	}

	/** {@code cellprofiler -g K=V,K=V} splits on ',' and '=': values holding either cannot be named. */
	private static void checkValues(List<Map<String, String>> groups) {
		for (Map<String, String> group : groups) {
			group.forEach((k, v) -> {
				if (v.contains(",") || v.contains("=")) throw new ParascopeException("metadata " + k + "=" + v + " holds a ',' or "
					+ "'=': 'cellprofiler -g', which runs one group, cannot name it");
			});
		}
	}
}
