package org.parascope.job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The problems found in one file or message. A million groups can share one mistake, so only the
 * first {@value #SHOWN} different messages are kept, each with the path where it first occurred
 * and how often it recurred; the rest are counted.
 */
final class Problems {

	private static final int SHOWN = 20;

	private final String source;
	/** Message -> its first occurrence. */
	private final Map<String, Occurrence> shown = new LinkedHashMap<>();
	private long more;
	private long count;

	private static final class Occurrence {
		final String path;
		long repeats;

		Occurrence(String path) {
			this.path = path;
		}
	}

	/** @param source how the user names what is read: the file name, or "task message" */
	Problems(String source) {
		this.source = source;
	}

	/** @param path JSON path of the value at fault, e.g. {@code groups[17].Metadata}; "" for the whole */
	void add(String path, String message) {
		count++;
		Occurrence first = shown.get(message);
		if (first != null) first.repeats++;
		else if (shown.size() < SHOWN) shown.put(message, new Occurrence(path));
		else more++;
	}

	/** Adds the problems of {@code other}, after this one's own. */
	void addAll(Problems other) {
		other.shown.forEach((message, theirs) -> {
			add(theirs.path, message);
			Occurrence mine = shown.get(message);
			if (mine != null) mine.repeats += theirs.repeats;
			else more += theirs.repeats;
			count += theirs.repeats;
		});
		more += other.more;
		count += other.more;
	}

	/** How many problems were found so far: a mapper compares it before and after a group. */
	long count() {
		return count;
	}

	void throwIfAny() {
		if (count > 0) throw exception();
	}

	/** The problems found as one exception, to throw; null if there are none. */
	JobException exception() {
		if (count == 0) return null;
		List<String> lines = new ArrayList<>();
		shown.forEach((message, o) -> lines.add(source + ": " + (o.path.isEmpty() ? "" : o.path + ": ")
			+ message + (o.repeats > 0 ? " (and the same in " + o.repeats + " more places)" : "")));
		return new JobException(lines, more);
	}

	/** Adds a problem that ends the reading (no JSON, no job) and returns all found, to throw. */
	JobException fail(String path, String message) {
		add(path, message);
		return exception();
	}
}
