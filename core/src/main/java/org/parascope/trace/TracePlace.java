package org.parascope.trace;

/**
 * Where a run's trace and report live in AWS_BUCKET (docs/trace.md): {@code parascope/runs/<APP_NAME>/}.
 * A worker knows its app but not which fleet or job it serves; a report picks the records of its run by
 * time.
 */
public final class TracePlace {

	private TracePlace() {}

	/** The app's folder, ending in '/'. */
	public static String runPrefix(String app) {
		return "parascope/runs/" + safe(app) + "/";
	}

	/** The trace's folder, ending in '/'. */
	public static String prefix(String app) {
		return runPrefix(app) + "trace/";
	}

	/** A name as one path segment, as {@link #safe} makes it. */
	public static String segment(String name) {
		return safe(name);
	}

	/** A name as one path segment: anything but letters, digits, '.', '_' and '-' becomes '_'; never '.' or '..'. */
	static String safe(String name) {
		String s = name.replaceAll("[^A-Za-z0-9._-]", "_");
		return s.isEmpty() || s.chars().allMatch(c -> c == '.') ? "_" + s : s;
	}
}
