package org.parascope.plugin;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.parascope.ParascopeException;

/** How a dataset's files become tasks; each group's metadata names its output folder. */
enum Grouping {
	PER_FILE("one task per file"), PER_N_FILES("N files per task"), BY_PATTERN("by file name pattern");

	/** One task's files and the metadata that names it. */
	record Group(Map<String, String> metadata, List<Path> files) {}

	/** Regex group names, e.g. (?<well>...): Java 17's Pattern cannot list them. */
	private static final Pattern NAMED = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");

	private final String label;

	Grouping(String label) {
		this.label = label;
	}

	/** As the dialog and macros say it. */
	String label() {
		return label;
	}

	static Grouping of(String label) {
		for (Grouping g : values()) if (g.label.equalsIgnoreCase(label.strip()) || g.name().equalsIgnoreCase(label.strip())) return g;
		throw new ParascopeException("grouping: expected '" + PER_FILE.label + "', '" + PER_N_FILES.label + "' or '"
			+ BY_PATTERN.label + "', got '" + label + "'");
	}

	/**
	 * The groups of {@code files} in order. {@code n}: files per task (N files per task). {@code regex}: found
	 * in each file name (by file name pattern); its named groups, e.g. {@code (?<well>[A-P]\d\d)_s(?<site>\d)},
	 * are the metadata, and files with the same values share a task. Files it does not match are left out.
	 */
	List<Group> groups(List<Path> files, int n, String regex) {
		return switch (this) {
			case PER_FILE -> files.stream().map(f -> new Group(Map.of("image", baseName(f)), List.of(f))).toList();
			case PER_N_FILES -> perN(files, n);
			case BY_PATTERN -> byPattern(files, regex);
		};
	}

	private static List<Group> perN(List<Path> files, int n) {
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

	private static List<Group> byPattern(List<Path> files, String regex) {
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
		Map<Map<String, String>, List<Path>> groups = new LinkedHashMap<>();
		for (Path file : files) {
			Matcher m = pattern.matcher(file.getFileName().toString());
			if (!m.find()) continue;
			Map<String, String> metadata = new LinkedHashMap<>();
			if (names.isEmpty()) metadata.put("group", m.groupCount() > 0 ? m.group(1) : m.group());
			for (String name : names) {
				if (m.group(name) == null) throw new ParascopeException("regex: its group '" + name + "' matches nothing in "
					+ file.getFileName() + ": every named group must match in every file the pattern finds");
				metadata.put(name, m.group(name));
			}
			groups.computeIfAbsent(metadata, k -> new ArrayList<>()).add(file);
		}
		if (groups.isEmpty()) throw new ParascopeException("regex: no file name matches " + regex + " (e.g. "
			+ files.get(0).getFileName() + ")");
		return groups.entrySet().stream().map(e -> new Group(e.getKey(), e.getValue())).toList();
	}

	private static String baseName(Path file) {
		String name = file.getFileName().toString();
		int dot = name.lastIndexOf('.');
		return dot > 0 ? name.substring(0, dot) : name;
	}
}
