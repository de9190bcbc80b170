package org.parascope.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.parascope.ParascopeException;

/**
 * The one rule for a key or name that becomes a file path or an object key (docs/security.md): no
 * {@code ..} segment, not absolute, no NUL or other control character, at most {@value #MAX_BYTES}
 * bytes. The job reader applies it to every key and metadata id of a job, before anything is sent;
 * the places that turn a key into a file apply it again, and check that the file lands below their
 * folder, because a task can reach a worker without passing the reader (any writer of the queue).
 */
public final class KeyRule {

	/** S3's limit for a key, in UTF-8 bytes. */
	public static final int MAX_BYTES = 1024;

	private KeyRule() {}

	/**
	 * Why {@code key} cannot name something below a folder or prefix, or null when it can. An empty key
	 * passes: as a prefix it is the top of the bucket; {@link #resolve} refuses it as a file.
	 */
	public static String problem(String key) {
		if (key == null) return null;
		for (int i = 0; i < key.length(); i++) {
			char c = key.charAt(i);
			if (c < 0x20 || c == 0x7f) {
				return "holds the control character U+" + String.format("%04X", (int) c) + " at position " + i;
			}
		}
		if (key.startsWith("/") || key.startsWith("\\")) return "is an absolute path";
		// Backslash counts as a separator too: Windows resolves it so when the Fiji face downloads.
		for (String segment : key.split("[/\\\\]", -1)) {
			if (segment.equals("..")) return "has a '..' segment, which would leave its folder";
		}
		int bytes = key.getBytes(StandardCharsets.UTF_8).length;
		if (bytes > MAX_BYTES) return "is " + bytes + " bytes long; at most " + MAX_BYTES + " (S3's limit)";
		return null;
	}

	/** As {@link #problem}, for the key of a file: it must name something below its folder, not the folder. */
	public static String fileProblem(String key) {
		String problem = problem(key);
		if (problem != null || key == null) return problem;
		for (String segment : key.split("[/\\\\]", -1)) {
			if (!segment.isEmpty() && !segment.equals(".")) return null;
		}
		return "names no file, only its folder";
	}

	/** {@code key} if it passes the rule; else fails naming {@code what} (e.g. "input key"). */
	public static String require(String key, String what) {
		String problem = problem(key);
		if (problem != null) throw new ParascopeException(what + " '" + printable(key) + "' " + problem);
		return key;
	}

	/**
	 * The file {@code key} names below {@code root}: the key must pass the rule and its path, once
	 * normalized, must lie strictly below {@code root} (this is the check that holds whatever the file
	 * system's separators are).
	 */
	public static Path resolve(Path root, String key, String what) {
		String problem = fileProblem(key);
		if (problem != null) throw new ParascopeException(what + " '" + printable(key) + "' " + problem);
		Path base = root.toAbsolutePath().normalize();
		Path file = base.resolve(key).normalize();
		if (key.isEmpty() || !file.startsWith(base) || file.equals(base)) {
			throw new ParascopeException(what + " '" + printable(key) + "' points outside " + base);
		}
		return file;
	}

	/** The key as a message can show it: control characters as \\uXXXX, at most 200 characters. */
	public static String printable(String key) {
		StringBuilder b = new StringBuilder();
		for (int i = 0; i < key.length() && b.length() < 200; i++) {
			char c = key.charAt(i);
			if (c < 0x20 || c == 0x7f) b.append(String.format("\\u%04x", (int) c));
			else b.append(c);
		}
		return key.length() > 200 ? b + "..." : b.toString();
	}
}
