package org.parascope.job;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.parascope.ParascopeException;
import org.parascope.job.Job.Format;
import org.parascope.job.TaskMapping.Mapped;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A task as a queue message body. Parascope sends its native body; workers also read the bodies that
 * Distributed-CellProfiler, Distributed-Fiji and Distributed-Something submitters send, which carry
 * their job's keys next to one group.
 */
public final class TaskMessage {

	private static final String SOURCE = "task message";
	private static final String EXPECTED = "expected a Parascope task {\"parascope_task\": 1, ...}, a"
		+ " Distributed-CellProfiler body {\"Metadata\", \"pipeline\", \"data_file\", \"output\", ...}, a"
		+ " Distributed-Fiji body {\"Metadata\", \"output_file_location\", \"shared_metadata\"} or a"
		+ " Distributed-Something body {..., \"group\"}";

	private TaskMessage() {}

	/**
	 * The native body: a JSON object that {@link #decode} reads back to an equal Task. Written straight to
	 * text, without building a tree first: submit encodes every task of a job, and this is most of the CPU
	 * it spends on a task besides the request itself.
	 */
	public static String encode(Task task) {
		StringWriter text = new StringWriter(256);
		try (JsonGenerator body = JobFile.JSON.getFactory().createGenerator(text)) {
			body.writeStartObject();
			body.writeNumberField("parascope_task", 1);
			body.writeStringField("id", task.id());
			body.writeStringField("engine", task.engine().id());
			body.writeStringField("script", task.script());
			writeMap(body, "metadata", task.metadata());
			writeMap(body, "parameters", task.parameters());
			body.writeArrayFieldStart("inputs");
			for (String input : task.inputs()) body.writeString(input);
			body.writeEndArray();
			body.writeStringField("data_file", task.dataFile());
			body.writeStringField("input", task.inputFolder());
			body.writeStringField("output", task.output());
			body.writeEndObject();
		}
		catch (IOException e) {
			throw new UncheckedIOException(e); // a StringWriter does not fail
		}
		return text.toString();
	}

	private static void writeMap(JsonGenerator body, String name, Map<String, String> values) throws IOException {
		body.writeObjectFieldStart(name);
		for (Map.Entry<String, String> e : values.entrySet()) body.writeStringField(e.getKey(), e.getValue());
		body.writeEndObject();
	}

	/** Reads a native, Distributed-CellProfiler, Distributed-Fiji or Distributed-Something body. */
	public static Task decode(String body) {
		Problems problems = new Problems(SOURCE);
		JsonNode root;
		try {
			root = JobFile.JSON.readTree(body);
		} catch (JsonProcessingException e) {
			throw problems.fail("", JobFile.malformed(e));
		}
		if (!root.isObject()) throw problems.fail("", EXPECTED + ", got " + Fields.describe(root));
		Task task = root.has("parascope_task") ? nativeTask(root, problems) : submittedTask(root, problems);
		problems.throwIfAny();
		return task;
	}

	private static Task nativeTask(JsonNode root, Problems problems) {
		Fields fields = Fields.of(root, "", problems);
		fields.version("parascope_task", 1);
		String id = fields.requiredString("id");
		String engineId = fields.requiredString("engine");
		Engine engine = null;
		try {
			if (engineId != null) engine = Engine.of(engineId);
		} catch (ParascopeException e) {
			problems.add("engine", e.getMessage());
		}
		String script = fields.string("script");
		Map<String, String> metadata = fields.scalars("metadata");
		Map<String, String> parameters = fields.scalars("parameters");
		List<String> inputs = fields.strings("inputs");
		String dataFile = fields.string("data_file");
		String input = fields.string("input");
		String output = fields.requiredString("output");
		fields.rejectUnknown();
		KeyChecks.key("script", script, problems);
		KeyChecks.keys("inputs", inputs, problems);
		KeyChecks.key("data_file", dataFile, problems);
		KeyChecks.folder("input", input, problems);
		KeyChecks.prefix("output", output, problems);
		return new Task(id, engine, script, metadata, parameters, inputs, dataFile, input, output);
	}

	/**
	 * A body from DCP's, DF's or DS's run.py: its job-level keys and one group, mapped as the job reader
	 * maps that group of the job file. The group's index is not in the body: the id is the metadata id.
	 */
	private static Task submittedTask(JsonNode root, Problems problems) {
		Map<String, JsonNode> keys = new LinkedHashMap<>();
		root.properties().forEach(e -> keys.put(e.getKey(), e.getValue()));
		Format format;
		String path;
		JsonNode group;
		if (keys.containsKey("group")) {
			format = Format.DS;
			path = "group";
			group = keys.remove(path);
		} else if (keys.containsKey("Metadata") && JobKeys.detect(keys.keySet()) == Format.DCP) {
			format = Format.DCP;
			path = "";
			// DCP's group is {"Metadata": ...}; its body lifts that one key to the top level.
			group = JobFile.JSON.createObjectNode().set("Metadata", keys.remove("Metadata"));
		} else if (keys.containsKey("Metadata") && JobKeys.detect(keys.keySet()) == Format.DF) {
			format = Format.DF;
			path = "Metadata";
			group = keys.remove(path);
		} else {
			throw problems.fail("", EXPECTED + ", got the keys " + String.join(", ", keys.keySet()));
		}
		Mapped mapped = TaskMapping.map(JobKeys.of(format, keys, problems), group, null, path, problems);
		return mapped == null ? null : mapped.task();
	}
}
