package org.parascope.job;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import org.parascope.ParascopeException;
import org.parascope.job.Job.Format;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The job-level keys of a job, as its format defines them: everything a task takes from its job
 * rather than from its group. Read from a job file's top level, or from a queue message body, which
 * carries the same keys next to one group.
 *
 * @param name            the native format's name; null for the others
 * @param outputStructure e.g. {@code Metadata_Plate/Metadata_Well}; null when metadata ids are the
 *                        values joined with "-"
 */
record JobKeys(
	Format format,
	String name,
	Engine engine,
	String script,
	String output,
	String outputStructure,
	Map<String, String> parameters,
	String dataFile,
	String inputFolder)
{
	/** Which keys tell the formats apart, for the message when none of them is there. */
	static final String DETECTION = "\"parascope_job\" (Parascope), \"pipeline\" or \"data_file\""
		+ " (Distributed-CellProfiler), \"output_file_location\" or \"shared_metadata\" (Distributed-Fiji)"
		+ " or \"groups\" (Distributed-Something)";

	/** The format a job's top-level keys say it is, or null when they name none. */
	static Format detect(Collection<String> keys) {
		if (keys.contains("parascope_job")) return Format.NATIVE;
		if (keys.contains("pipeline") || keys.contains("data_file")) return Format.DCP;
		if (keys.contains("output_file_location") || keys.contains("shared_metadata")) return Format.DF;
		if (keys.contains("groups")) return Format.DS;
		return null;
	}

	/** The top-level key of a format's list of groups (tasks). */
	static String groupList(Format format) {
		return format == Format.NATIVE ? "tasks" : "groups";
	}

	/**
	 * Reads the job-level keys of {@code format} from {@code values} (which may hold the group list's
	 * key too, with any value: it is not read here). Problems go to {@code problems}; the result holds
	 * what could be read, so that the groups can still be checked against it.
	 */
	static JobKeys of(Format format, Map<String, JsonNode> values, Problems problems) {
		Fields fields = new Fields(values, "", problems);
		JobKeys keys = switch (format) {
			case NATIVE -> nativeKeys(fields, problems);
			case DCP -> cellProfilerKeys(fields);
			case DF -> new JobKeys(format, null, Engine.FIJI, null, fields.requiredString("output_file_location"),
				null, fields.scalars("shared_metadata"), null, null);
			case DS -> distributedSomethingKeys(values);
		};
		fields.allow(groupList(format));
		// Distributed-Something sends every key to its tasks by definition: none is unknown.
		if (format != Format.DS) fields.rejectUnknown();
		checkKeys(keys, problems);
		return keys;
	}

	/** Every job-level key that becomes a file or an object key, by the name it has in the format. */
	private static void checkKeys(JobKeys keys, Problems problems) {
		KeyChecks.key(keys.format() == Format.DCP ? "pipeline" : "script", keys.script(), problems);
		KeyChecks.key("data_file", keys.dataFile(), problems);
		KeyChecks.folder("input", keys.inputFolder(), problems);
		KeyChecks.prefix(keys.format() == Format.DF ? "output_file_location" : "output", keys.output(), problems);
	}

	private static JobKeys nativeKeys(Fields fields, Problems problems) {
		fields.version("parascope_job", 1);
		String name = fields.string("name");
		if (name != null && !JobName.isValid(name)) {
			try {
				JobName.check(name);
			} catch (ParascopeException e) {
				problems.add("name", e.getMessage());
			}
		}
		Engine engine = null;
		String engineId = fields.requiredString("engine");
		if (engineId != null) {
			try {
				engine = Engine.of(engineId);
			} catch (ParascopeException e) {
				problems.add("engine", e.getMessage());
			}
		}
		String script = fields.requiredString("script");
		String output = fields.requiredString("output");
		String structure = structure(fields);
		Map<String, String> parameters = fields.scalars("parameters");
		String dataFile = fields.string("data_file");
		String input = fields.string("input");
		if (engine == Engine.FIJI) {
			// Only CellProfiler has these inputs; a Fiji script takes its own as parameters.
			if (dataFile != null) problems.add("data_file", "only a cellprofiler job has a data file");
			if (input != null) problems.add("input", "only a cellprofiler job has an input folder");
		}
		return new JobKeys(Format.NATIVE, name, engine, script, output, structure, parameters, dataFile, input);
	}

	private static JobKeys cellProfilerKeys(Fields fields) {
		String pipeline = fields.requiredString("pipeline");
		String dataFile = fields.requiredString("data_file");
		String input = fields.string("input");
		String output = fields.requiredString("output");
		return new JobKeys(Format.DCP, null, Engine.CELLPROFILER, pipeline, output, structure(fields), Map.of(),
			dataFile, input);
	}

	/** DS: every other key whose value is a scalar is a parameter; "output", if there, is the output. */
	private static JobKeys distributedSomethingKeys(Map<String, JsonNode> values) {
		Map<String, String> parameters = new LinkedHashMap<>();
		values.forEach((key, value) -> {
			String text = Fields.text(value);
			if (!Fields.isComment(key) && text != null) parameters.put(key, text);
		});
		return new JobKeys(Format.DS, null, Engine.FIJI, null, parameters.get("output"), null, parameters,
			null, null);
	}

	/** DCP treats an empty output_structure as none. */
	private static String structure(Fields fields) {
		String structure = fields.string("output_structure");
		return structure == null || structure.isEmpty() ? null : structure;
	}
}
