package org.parascope.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MetadataIdsTest {

	@Test
	void findsTheEarlierGroupOfARepeatedIdWhileGrowing() {
		MetadataIds ids = new MetadataIds();
		for (int i = 0; i < 100_000; i++) assertEquals(-1, ids.add("P" + i / 384 + "/W" + i % 384 + "/é", i));

		assertEquals(0, ids.add("P0/W0/é", 100_000));
		assertEquals(99_999, ids.add("P260/W159/é", 100_001));
		assertEquals(-1, ids.add("", 100_002));
		assertEquals(100_002, ids.add("", 100_003));
	}

	@Test
	void keepsAnIdLongerThanAPage() {
		MetadataIds ids = new MetadataIds();
		String huge = "x".repeat(300_000);

		assertEquals(-1, ids.add("short", 0));
		assertEquals(-1, ids.add(huge, 1));
		assertEquals(-1, ids.add("after", 2));
		assertEquals(1, ids.add(huge, 3));
		assertEquals(2, ids.add("after", 4));
	}
}
