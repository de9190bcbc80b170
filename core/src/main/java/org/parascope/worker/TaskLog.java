package org.parascope.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** What one task printed and what the worker said about it; kept whole for the failure report. */
public final class TaskLog {

	private final List<String> lines = new ArrayList<>();
	private final Consumer<String> echo;

	public TaskLog() {
		this(line -> {});
	}

	/** A log that also hands every line to {@code echo} as it comes (a long program's progress). */
	public TaskLog(Consumer<String> echo) {
		this.echo = echo;
	}

	public synchronized void line(String line) {
		lines.add(line);
		echo.accept(line);
	}

	public synchronized List<String> lines() {
		return List.copyOf(lines);
	}

	/** The last {@code n} lines, for a short report. */
	public synchronized List<String> tail(int n) {
		return List.copyOf(lines.subList(Math.max(0, lines.size() - n), lines.size()));
	}
}
