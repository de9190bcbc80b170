package org.parascope.job.make;

/** Python's {@code posixpath.join}, which run_batch_general builds every key with (docs/jobs.md). */
final class PosixPath {

	private PosixPath() {}

	/**
	 * Joins with "/": a part starting with "/" starts the path again, an empty part adds nothing but
	 * a trailing "/" (so {@code join("a", "", "b")} is {@code a/b} and {@code join("a", "")} is {@code a/}).
	 */
	static String join(String first, String... rest) {
		StringBuilder path = new StringBuilder(first);
		for (String part : rest) {
			if (part.startsWith("/")) path.setLength(0);
			else if (path.length() > 0 && path.charAt(path.length() - 1) != '/') path.append('/');
			path.append(part);
		}
		return path.toString();
	}
}
