package org.parascope.progress;

import java.time.Duration;

/** How every face and log line writes a duration, so that "90 s" reads the same everywhere. */
public final class Durations {

	private Durations() {}

	/**
	 * "250 ms", "45 s", "2 min 5 s", "3 h 20 min", "4 days": the two largest units that matter, the
	 * smaller left out when it is zero. Below 2 of a unit the next smaller one is used ("90 min", not
	 * "1 h 30 min"), as people say it.
	 */
	public static String readable(Duration d) {
		long s = d.toSeconds();
		if (s == 0) return d.isZero() ? "0 s" : d.toMillis() + " ms";
		if (s < 60) return s + " s";
		if (s < 2 * 3600) return s / 60 + " min" + part(s % 60, "s");
		if (s < 2 * 86400) return s / 3600 + " h" + part(s / 60 % 60, "min");
		return s / 86400 + " days" + part(s / 3600 % 24, "h");
	}

	private static String part(long value, String unit) {
		return value == 0 ? "" : " " + value + " " + unit;
	}
}
