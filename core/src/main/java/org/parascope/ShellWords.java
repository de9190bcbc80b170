package org.parascope;

import java.util.regex.Pattern;

/**
 * Words as a POSIX shell (sh, bash, zsh) reads them back: for the commands Parascope shows people to
 * paste (what to run next, how to resume or clean up). Never used to run anything: programs are
 * started from an argv list.
 */
public final class ShellWords {

	/** Characters no POSIX shell gives a meaning to inside a word (not '~', which expands at a word's start). */
	private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

	private ShellWords() {}

	/**
	 * The word as it is when nothing in it is special, else in single quotes, inside which a shell
	 * takes every character literally; a single quote itself is closed, escaped and reopened ('\'').
	 */
	public static String quote(String word) {
		return PLAIN.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
	}
}
