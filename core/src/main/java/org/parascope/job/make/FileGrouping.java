package org.parascope.job.make;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.parascope.ParascopeException;

/**
 * How a folder's files become tasks: one per file, N per task, or grouped by the named groups of a
 * regular expression found in each file name. Each group's metadata names its output folder. Files are
 * keys with '/' between folders; the pattern is matched against the last part, the file name.
 */
public enum FileGrouping {
	PER_FILE("one task per file"), PER_N_FILES("N files per task"), BY_PATTERN("by file name pattern");

	/** One task's files and the metadata that names it. */
	public record Group(Map<String, String> metadata, List<String> files) {}

	/** Regex group names, e.g. (?<well>...): Java 17's Pattern cannot list them. */
	private static final Pattern NAMED = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");

	private final String label;

	FileGrouping(String label) {
		this.label = label;
	}

	/** As the Fiji dialog and macros say it. */
	public String label() {
		return label;
	}

	public static FileGrouping of(String label) {
		for (FileGrouping g : values()) if (g.label.equalsIgnoreCase(label.strip()) || g.name().equalsIgnoreCase(label.strip())) return g;
		throw new ParascopeException("grouping: expected '" + PER_FILE.label + "', '" + PER_N_FILES.label + "' or '"
			+ BY_PATTERN.label + "', got '" + label + "'");
	}

	/**
	 * The groups of {@code files} in order. {@code n}: files per task (N files per task). {@code regex}: found
	 * in each file name (by file name pattern); its named groups, e.g. {@code (?<well>[A-P]\d\d)_s(?<site>\d)},
	 * are the metadata, and files with the same values share a task. Files it does not match are left out.
	 */
	public List<Group> groups(List<String> files, int n, String regex) {
		if (files.isEmpty()) throw new ParascopeException("no files to make tasks of");
		return switch (this) {
			case PER_FILE -> files.stream().map(f -> new Group(Map.of("image", baseName(f)), List.of(f))).toList();
			case PER_N_FILES -> perN(files, n);
			case BY_PATTERN -> byPattern(files, regex);
		};
	}

	private static List<Group> perN(List<String> files, int n) {
		if (n < 1) throw new ParascopeException("per: files per task must be at least 1, got " + n);
		int count = (files.size() + n - 1) / n;
		String format = "%0" + Integer.toString(count).length() + "d";
		List<Group> groups = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			groups.add(new Group(Map.of("group", String.format(format, i + 1)),
				files.subList(i * n, Math.min(files.size(), (i + 1) * n))));
		}
		return groups;
	}

	private static List<Group> byPattern(List<String> files, String regex) {
		if (regex == null || regex.isBlank()) throw new ParascopeException("regex: a file name pattern is needed to group by,"
			+ " e.g. (?<well>[A-P][0-9]{2})_s(?<site>[0-9]+)");
		Pattern pattern;
		try {
			pattern = Pattern.compile(regex);
		}
		catch (PatternSyntaxException e) {
			throw new ParascopeException("regex: not a valid pattern: " + e.getDescription() + " near position " + e.getIndex()
				+ " of " + regex);
		}
		List<String> names = new ArrayList<>();
		for (Matcher m = NAMED.matcher(regex); m.find();) names.add(m.group(1));
		Map<Map<String, String>, List<String>> groups = new LinkedHashMap<>();
		for (String file : files) {
			Matcher m = pattern.matcher(fileName(file));
			if (!m.find()) continue;
			Map<String, String> metadata = new LinkedHashMap<>();
			if (names.isEmpty()) metadata.put("group", m.groupCount() > 0 ? m.group(1) : m.group());
			for (String name : names) {
				if (m.group(name) == null) throw new ParascopeException("regex: its group '" + name + "' matches nothing in "
					+ fileName(file) + ": every named group must match in every file the pattern finds");
				metadata.put(name, m.group(name));
			}
			groups.computeIfAbsent(metadata, k -> new ArrayList<>()).add(file);
		}
		if (groups.isEmpty()) throw new ParascopeException("regex: no file name matches " + regex + " (e.g. "
			+ fileName(files.get(0)) + ")");
		return groups.entrySet().stream().map(e -> new Group(e.getKey(), e.getValue())).toList();
	}

	private static String fileName(String key) {
		return key.substring(key.lastIndexOf('/') + 1);
	}

	private static String baseName(String key) {
		String name = fileName(key);
		int dot = name.lastIndexOf('.');
		return dot > 0 ? name.substring(0, dot) : name;
	}
}
