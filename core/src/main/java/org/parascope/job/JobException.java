package org.parascope.job;

import java.util.List;

import org.parascope.ParascopeException;

/**
 * A job file or task message that cannot be used. Every problem found is reported at once, each
 * naming its file and JSON path, so that one run of the reader is enough to fix a file.
 */
public class JobException extends ParascopeException {

	private final List<String> problems;

	JobException(List<String> problems, long more) {
		super(String.join("\n", problems) + (more > 0 ? "\n... and " + more + " more" : ""));
		this.problems = List.copyOf(problems);
	}

	/** The problems shown, one line each, e.g. {@code job.json: groups[17].Metadata: expected ...}. */
	public List<String> problems() {
		return problems;
	}
}
