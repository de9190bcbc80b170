package org.parascope.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** Finds what a misspelt name was probably meant to be, for "did you mean ...?" hints. */
public final class Spelling {

	private Spelling() {}

	/**
	 * The candidate closest to {@code word} (ignoring case), if it is close enough to be a likely
	 * typo: at most a third of the word's letters differ, and at least one may.
	 */
	public static Optional<String> nearest(String word, Collection<String> candidates) {
		int limit = Math.max(1, word.length() / 3);
		return candidates.stream()
			.filter(c -> !c.equals(word))
			.min(Comparator.comparingInt((String c) -> distance(word, c)).thenComparing(c -> c))
			.filter(c -> distance(word, c) <= limit);
	}

	/** Levenshtein distance, case-insensitive. */
	static int distance(String a, String b) {
		a = a.toUpperCase();
		b = b.toUpperCase();
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) previous[j] = j;
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}
}
