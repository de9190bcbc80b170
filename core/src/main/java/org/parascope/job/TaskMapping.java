package org.parascope.job;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.parascope.job.Job.Format;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The one mapping from a group and its job's keys to a Task. The job reader uses it for each group of a
 * file and {@link TaskMessage} for the one group of a DCP, DF or DS queue body, so that a worker fed by
 * the old submitters runs exactly the task Parascope would have sent.
 */
final class TaskMapping {

	/** A task and its metadata id (its output folder's name; unique within a job). */
	record Mapped(String metadataId, Task task) {}

	private TaskMapping() {}

	/**
	 * @param id   the task's id; null to use the metadata id (a queue body has no group index)
	 * @param path the group's JSON path, e.g. {@code groups[17]}, for problems
	 * @return the task, or null when the group has problems (added to {@code problems})
	 */
	static Mapped map(JobKeys job, JsonNode group, String id, String path, Problems problems) {
		long before = problems.count();
		List<String> inputs = new ArrayList<>();
		String[] dataFile = { job.dataFile() };
		Map<String, String> metadata = switch (job.format()) {
			case DCP -> cellProfilerMetadata(job, group, path, problems);
			case DF, DS -> Fields.scalars(group, path, problems);
			case NATIVE -> nativeMetadata(job, group, path, problems, inputs, dataFile);
		};
		KeyChecks.keys(Fields.child(path, "inputs"), inputs, problems);
		if (job.engine() == Engine.CELLPROFILER) checkGroup(metadata, metadataPath(job.format(), group, path), problems);
		if (problems.count() > before) return null;
		if (metadata.isEmpty()) {
			problems.add(path, "no metadata: each task needs at least one name and value");
			return null;
		}
		String metadataId = metadataId(job.outputStructure(), metadata);
		// Distributed-Fiji's script writes where it likes under output_file_location: no task folder.
		String output = job.format() == Format.DF ? job.output() : folder(job.output(), metadataId);
		if (job.format() != Format.DF
			&& !KeyChecks.output(metadataPath(job.format(), group, path), metadataId, output, metadata, problems)) {
			return null;
		}
		Task task = new Task(id == null ? metadataId : id, job.engine(), job.script(), metadata, job.parameters(),
			inputs, dataFile[0], job.inputFolder(), output);
		return new Mapped(metadataId, task);
	}

	/**
	 * CellProfiler's -g reads the group as K=V,K=V, split on ',' and then '=' with no quoting: a comma in a
	 * value (possible in a dict group) would make it select another group, so it is refused.
	 */
	private static void checkGroup(Map<String, String> metadata, String path, Problems problems) {
		metadata.forEach((key, value) -> {
			if (key.contains(",") || key.contains("=") || value.contains(",")) {
				problems.add(Fields.child(path, key), "CellProfiler's -g takes the group as Key=Value,Key=Value without"
					+ " quoting, so a ',' in a value or a ',' or '=' in a name would select another group");
			}
		});
	}

	/** Where a group's metadata is, for problems: its "metadata" or "Metadata" key, or the group itself. */
	private static String metadataPath(Format format, JsonNode group, String path) {
		if (format == Format.NATIVE) return Fields.child(path, "metadata");
		if (format == Format.DCP && group.has("Metadata")) return Fields.child(path, "Metadata");
		return path;
	}

	/**
	 * A DCP group is {"Metadata": "K=V,K=V"}, {"Metadata": {K: V}} or the dict {K: V} itself; a dict
	 * needs output_structure, as in DCP, because dict order is no reliable folder name.
	 */
	private static Map<String, String> cellProfilerMetadata(JobKeys job, JsonNode group, String path,
		Problems problems)
	{
		if (!group.isObject()) {
			problems.add(path, "expected a group object such as {\"Metadata\": \"Metadata_Plate=P1,Metadata_Well=A01\"},"
				+ " got " + Fields.describe(group));
			return Map.of();
		}
		if (!group.has("Metadata")) return dictMetadata(job, group, path, problems);
		Fields fields = Fields.of(group, path, problems);
		JsonNode metadata = fields.get("Metadata");
		fields.rejectUnknown();
		String metadataPath = fields.path("Metadata");
		if (metadata != null && metadata.isTextual()) return keyValues(metadata.textValue(), metadataPath, problems);
		if (metadata != null && metadata.isObject()) return dictMetadata(job, metadata, metadataPath, problems);
		problems.add(metadataPath, "expected \"Key=Value,Key=Value\" or an object of names and values, got "
			+ (metadata == null ? "null" : Fields.describe(metadata)));
		return Map.of();
	}

	private static Map<String, String> dictMetadata(JobKeys job, JsonNode dict, String path, Problems problems) {
		if (job.outputStructure() == null) problems.add(path, "metadata given as an object needs a top-level"
			+ " \"output_structure\" such as \"Metadata_Plate/Metadata_Well\" to name each task's output folder");
		return Fields.scalars(dict, path, problems);
	}

	/** "Metadata_Plate=P1,Metadata_Well=A01": split on commas, then on the first '=' (values may hold '='). */
	private static Map<String, String> keyValues(String text, String path, Problems problems) {
		Map<String, String> metadata = new LinkedHashMap<>();
		for (String pair : text.split(",", -1)) {
			int equals = pair.indexOf('=');
			if (equals <= 0) {
				problems.add(path, "expected \"Key=Value,Key=Value\", got \"" + text + "\"");
				return Map.of();
			}
			String key = pair.substring(0, equals);
			if (metadata.put(key, pair.substring(equals + 1)) != null) {
				problems.add(path, "metadata key \"" + key + "\" given twice in \"" + text + "\"");
				return Map.of();
			}
		}
		return metadata;
	}

	/**
	 * A native task: {"metadata": {..}, "inputs": [..], "data_file": ".."}; fills {@code inputs}, and
	 * {@code dataFile} when the task names its own (a CellProfiler job whose plates have one CSV each).
	 */
	private static Map<String, String> nativeMetadata(JobKeys job, JsonNode task, String path, Problems problems,
		List<String> inputs, String[] dataFile)
	{
		if (!task.isObject()) {
			problems.add(path, "expected a task object such as {\"metadata\": {\"well\": \"A01\"}}, got "
				+ Fields.describe(task));
			return Map.of();
		}
		Fields fields = Fields.of(task, path, problems);
		if (fields.get("metadata") == null) fields.missing("metadata");
		Map<String, String> metadata = fields.scalars("metadata");
		inputs.addAll(fields.strings("inputs"));
		String own = fields.string("data_file");
		if (own != null && job.engine() == Engine.FIJI) problems.add(fields.path("data_file"), "only a cellprofiler task has a data file");
		else if (own != null) dataFile[0] = own;
		fields.rejectUnknown();
		return metadata;
	}

	/**
	 * output_structure with each metadata key replaced by its value, else the values joined with "-".
	 * The structure is read once, left to right, trying longer keys first, so that Metadata_Well does
	 * not eat into Metadata_WellRow and a value that looks like a key is never replaced again.
	 */
	static String metadataId(String structure, Map<String, String> metadata) {
		if (structure == null) return String.join("-", metadata.values());
		List<String> keys = new ArrayList<>(metadata.keySet());
		keys.sort(Comparator.comparingInt(String::length).reversed());
		StringBuilder id = new StringBuilder();
		int at = 0;
		scan:
		while (at < structure.length()) {
			for (String key : keys) {
				if (structure.startsWith(key, at)) {
					id.append(metadata.get(key));
					at += key.length();
					continue scan;
				}
			}
			id.append(structure.charAt(at++));
		}
		return id.toString();
	}

	/** The task's output folder: the job's output (possibly empty or absent), then the metadata id. */
	private static String folder(String output, String metadataId) {
		int end = output == null ? 0 : output.length();
		while (end > 0 && output.charAt(end - 1) == '/') end--;
		int start = 0;
		while (start < metadataId.length() && metadataId.charAt(start) == '/') start++;
		String child = metadataId.substring(start);
		return end == 0 ? child : output.substring(0, end) + "/" + child;
	}
}
