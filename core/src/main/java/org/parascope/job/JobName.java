package org.parascope.job;

import org.parascope.ParascopeException;

/**
 * The one rule for a job's name, which every face uses: it becomes part of file names (the job file,
 * its manifest) and of object keys, so it is letters, digits, '.', '_' and '-', starting with a letter
 * or digit, at most {@value #MAX} characters.
 */
public final class JobName {

	public static final int MAX = 100;
	private static final String RULE = "[A-Za-z0-9][A-Za-z0-9._-]*";

	private JobName() {}

	public static boolean isValid(String name) {
		return name != null && name.length() <= MAX && name.matches(RULE);
	}

	/** {@code name} itself when valid; else an error saying the rule. */
	public static String check(String name) {
		if (isValid(name)) return name;
		throw new ParascopeException("job name '" + name + "': use letters, digits, '.', '_' and '-', starting with a "
			+ "letter or digit, at most " + MAX + " characters");
	}

	/** A valid name made from any text (a folder's or file's name): other characters become '_'. */
	public static String from(String text) {
		String name = text == null ? "" : text.replaceAll("[^A-Za-z0-9._-]", "_").replaceFirst("^[._-]+", "");
		if (name.length() > MAX) name = name.substring(0, MAX);
		return name.isEmpty() ? "job" : name;
	}
}
