package org.parascope.fiji;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.parascope.worker.TaskFailure;
import org.parascope.worker.TaskRun;

/**
 * An ImageJ macro made ready for one task. The task's values reach the macro the way Fiji's
 * {@code --run macro.ijm "k='v'"} hands them over: {@code #@ Type name} script parameters get
 * their value from the task ({@link ScriptValues}), and every value is also a plain macro variable
 * (when its name is a valid identifier) and part of {@code getArgument()}.
 */
record Macro(String code, String argument) {

	private static final Pattern PARAMETER = Pattern.compile(
		"^\\s*#@\\s*(?<io>input|output|both)?\\s*(?<type>[\\w.\\[\\]]+)\\s*(?:\\((?<attrs>.*)\\)\\s*)?(?<name>\\w+)\\s*$");
	private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
	private static final Set<String> KEYWORDS = Set.of("if", "else", "for", "while", "do", "function",
		"macro", "var", "return", "true", "false", "PI", "NaN", "requires", "eval", "exit", "print");
	private static final Set<String> NUMBER_TYPES = Set.of("byte", "short", "int", "integer", "long",
		"float", "double", "number", "biginteger", "bigdecimal");
	private static final Set<String> TEXT_TYPES = Set.of("string", "file", "char", "character", "boolean");

	static Macro of(String source, TaskRun run) throws TaskFailure {
		Map<String, String> values = ScriptValues.of(run);

		Map<String, String> assignments = new LinkedHashMap<>();
		for (var e : values.entrySet()) {
			if (isIdentifier(e.getKey())) assignments.put(e.getKey(), quote(e.getValue()));
		}
		// Declared parameters: blank the line (line numbers in errors stay right) and type the value.
		List<String> lines = source.lines().toList();
		StringBuilder body = new StringBuilder();
		for (int i = 0; i < lines.size(); i++) {
			Matcher m = PARAMETER.matcher(lines.get(i));
			if (m.matches()) {
				if (!"output".equals(m.group("io"))) declare(m.group("type"), m.group("name"), values, assignments, i + 1);
				body.append('\n');
			}
			else {
				body.append(lines.get(i)).append('\n');
			}
		}
		// All assignments on the macro's first line, so its line numbers are the file's.
		StringBuilder prelude = new StringBuilder();
		assignments.forEach((k, v) -> prelude.append(k).append(" = ").append(v).append("; "));
		StringJoiner argument = new StringJoiner(", ");
		values.forEach((k, v) -> argument.add(k + "='" + v.replace("'", "\\'") + "'"));
		return new Macro(prelude + body.toString(), argument.toString());
	}

	private static void declare(String type, String name, Map<String, String> values,
		Map<String, String> assignments, int line) throws TaskFailure
	{
		String value = values.get(name);
		if (value == null) {
			throw new TaskFailure("macro line " + line + ": parameter '" + name
				+ "' has no value: add it to the task's metadata or the job's parameters");
		}
		String kind = type.toLowerCase(Locale.ROOT).replace("java.lang.", "").replace("java.io.", "");
		if (NUMBER_TYPES.contains(kind)) {
			try {
				Double.parseDouble(value);
			}
			catch (NumberFormatException e) {
				throw new TaskFailure("macro line " + line + ": parameter '" + name + "' is a " + type
					+ " but the task gives '" + value + "'");
			}
			assignments.put(name, value.trim());
		}
		else if (kind.equals("boolean")) {
			assignments.put(name, Boolean.toString(Boolean.parseBoolean(value.trim())));
		}
		else if (TEXT_TYPES.contains(kind)) {
			assignments.put(name, quote(value));
		}
		else {
			throw new TaskFailure("macro line " + line + ": parameter type " + type
				+ " cannot be given in a job file (use String, File, a number or Boolean)");
		}
	}

	private static boolean isIdentifier(String name) {
		return IDENTIFIER.matcher(name).matches() && !KEYWORDS.contains(name);
	}

	private static String quote(String s) {
		return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
	}
}
