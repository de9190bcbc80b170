package org.parascope.job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the keys of one small JSON object (a job's top level, a group, a message body) and reports
 * wrong values with their JSON path. Remembers which keys were asked for, so that any other key can be
 * reported as unknown: a misspelt optional key would otherwise be silently ignored.
 */
final class Fields {

	private final Map<String, JsonNode> values;
	private final String path;
	private final Problems problems;
	private final Set<String> known = new LinkedHashSet<>();

	Fields(Map<String, JsonNode> values, String path, Problems problems) {
		this.values = values;
		this.path = path;
		this.problems = problems;
	}

	/** The fields of {@code object}, which the caller has checked is an object. */
	static Fields of(JsonNode object, String path, Problems problems) {
		Map<String, JsonNode> values = new LinkedHashMap<>();
		object.properties().forEach(e -> values.put(e.getKey(), e.getValue()));
		return new Fields(values, path, problems);
	}

	/** DCP's convention, kept by every format: such keys are notes for people. */
	static boolean isComment(String key) {
		return key.startsWith("_comment");
	}

	static String child(String path, String key) {
		return path.isEmpty() ? key : path + "." + key;
	}

	/** A value as it is shown after "got": its JSON, cut short. */
	static String describe(JsonNode value) {
		String json = value.toString();
		return json.length() <= 60 ? json : json.substring(0, 57) + "...";
	}

	/**
	 * A scalar as text: strings as they are, numbers in plain digits as written (2.50 stays 2.50,
	 * because the reader keeps decimals exact), booleans as true/false; null for anything else.
	 */
	static String text(JsonNode value) {
		if (value.isTextual()) return value.textValue();
		if (value.isBigDecimal()) return value.decimalValue().toPlainString();
		if (value.isNumber() || value.isBoolean()) return value.asText();
		return null;
	}

	/** An object of scalars as texts in file order, comment keys skipped; problems for anything else. */
	static Map<String, String> scalars(JsonNode object, String path, Problems problems) {
		Map<String, String> texts = new LinkedHashMap<>();
		if (!object.isObject()) {
			problems.add(path, "expected an object of names and values, got " + describe(object));
			return texts;
		}
		object.properties().forEach(e -> {
			if (isComment(e.getKey())) return;
			String text = text(e.getValue());
			if (text == null) problems.add(child(path, e.getKey()),
				"expected a string or a number, got " + describe(e.getValue()));
			else texts.put(e.getKey(), text);
		});
		return texts;
	}

	/** The value of {@code key}, marked known; null when absent or JSON null (both mean "not given"). */
	JsonNode get(String key) {
		known.add(key);
		JsonNode value = values.get(key);
		return value == null || value.isNull() ? null : value;
	}

	/** Marks a key as known without reading it (a group list, read elsewhere). */
	void allow(String key) {
		known.add(key);
	}

	boolean has(String key) {
		return values.containsKey(key);
	}

	String string(String key) {
		JsonNode value = get(key);
		if (value == null) return null;
		if (value.isTextual()) return value.textValue();
		problems.add(child(path, key), "expected a string, got " + describe(value));
		return null;
	}

	String requiredString(String key) {
		if (get(key) == null) missing(key);
		return string(key);
	}

	/** An optional object of scalars; empty when absent. */
	Map<String, String> scalars(String key) {
		JsonNode value = get(key);
		return value == null ? new LinkedHashMap<>() : scalars(value, child(path, key), problems);
	}

	/** An optional list of strings; empty when absent. */
	List<String> strings(String key) {
		JsonNode value = get(key);
		List<String> strings = new ArrayList<>();
		if (value == null) return strings;
		if (!value.isArray()) {
			problems.add(child(path, key), "expected a list of strings, got " + describe(value));
			return strings;
		}
		for (int i = 0; i < value.size(); i++) {
			JsonNode item = value.get(i);
			if (item.isTextual()) strings.add(item.textValue());
			else problems.add(path(key) + "[" + i + "]", "expected a string, got " + describe(item));
		}
		return strings;
	}

	/** A format version: {@code key} must be present and equal {@code version}. */
	void version(String key, int version) {
		JsonNode value = get(key);
		if (value == null) missing(key);
		else if (!value.isInt() || value.intValue() != version) problems.add(path(key),
			"expected " + version + " (the only version there is), got " + describe(value));
	}

	void missing(String key) {
		problems.add(path, "missing key \"" + key + "\"");
	}

	/** Reports every key that was neither read nor allowed, nor a comment. */
	void rejectUnknown() {
		for (String key : values.keySet()) {
			if (!known.contains(key) && !isComment(key)) problems.add(path(key),
				"unknown key (expected " + String.join(", ", known) + ")");
		}
	}

	String path(String key) {
		return child(path, key);
	}
}
