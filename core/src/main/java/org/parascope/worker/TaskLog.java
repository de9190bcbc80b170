package org.parascope.worker;

import java.util.ArrayList;
import java.util.List;

/** What one task printed and what the worker said about it; kept whole for the failure report. */
public final class TaskLog {

	private final List<String> lines = new ArrayList<>();

	public synchronized void line(String line) {
		lines.add(line);
	}

	public synchronized List<String> lines() {
		return List.copyOf(lines);
	}

	/** The last {@code n} lines, for a short report. */
	public synchronized List<String> tail(int n) {
		return List.copyOf(lines.subList(Math.max(0, lines.size() - n), lines.size()));
	}
}
