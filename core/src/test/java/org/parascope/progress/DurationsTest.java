package org.parascope.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class DurationsTest {

	@Test
	void writesTheTwoLargestUnitsThatMatter() {
		assertEquals("0 s", Durations.readable(Duration.ZERO));
		assertEquals("250 ms", Durations.readable(Duration.ofMillis(250)));
		assertEquals("45 s", Durations.readable(Duration.ofMillis(45_900)));
		assertEquals("1 min", Durations.readable(Duration.ofSeconds(60)));
		assertEquals("1 min 30 s", Durations.readable(Duration.ofSeconds(90)));
		assertEquals("90 min", Durations.readable(Duration.ofMinutes(90)));
		assertEquals("2 h", Durations.readable(Duration.ofHours(2)));
		assertEquals("3 h 20 min", Durations.readable(Duration.ofSeconds(3 * 3600 + 20 * 60 + 7)));
		assertEquals("47 h", Durations.readable(Duration.ofHours(47)));
		assertEquals("4 days", Durations.readable(Duration.ofDays(4)));
		assertEquals("14 days 6 h", Durations.readable(Duration.ofHours(14 * 24 + 6)));
	}
}
