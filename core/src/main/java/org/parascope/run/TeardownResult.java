package org.parascope.run;

import java.util.List;
import java.util.Optional;

/**
 * What a teardown did: one line per resource, and what it could not remove.
 *
 * @param weather the failure that stopped it when only weather did (waiting and trying again finishes it)
 */
public record TeardownResult(List<String> lines, List<String> problems, Optional<Throwable> weather) {

	public TeardownResult {
		lines = List.copyOf(lines);
		problems = List.copyOf(problems);
	}

	public boolean complete() {
		return problems.isEmpty();
	}
}
