package org.parascope.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.parascope.ParascopeException;

import com.fasterxml.jackson.databind.json.JsonMapper;

/** Task numbers as ranges: what a job's record keeps, compact however many tasks were confirmed. */
class TaskRangesTest {

	@Test
	void tasksConfirmedOutOfOrderEndAsOneRange() {
		TaskRanges r = new TaskRanges();
		for (long t : new long[] { 5, 3, 4, 0, 2, 1, 9, 7, 8, 6 }) r.add(t);
		r.add(4);
		assertEquals("0-9", r.toString());
		assertEquals(10, r.size());
		r.remove(4);
		r.remove(0);
		assertEquals("1-3, 5-9", r.toString());
		assertEquals(8, r.size());
		assertFalse(r.contains(4));
		assertTrue(r.contains(5));
	}

	@Test
	void complementAndUnionKeepTheRanges() {
		TaskRanges r = TaskRanges.of(10, 19);
		r.add(25);
		assertEquals("0-9, 20-24, 26-29", r.complement(30).toString());
		assertEquals("0-29", withAll(r, r.complement(30)).toString());
		TaskRanges overlapping = TaskRanges.of(15, 30);
		assertEquals("10-30", withAll(r, overlapping).toString());
		assertEquals(21, withAll(r, overlapping).size());
	}

	@Test
	void aRecordsRangesReadBackAndNonsenseIsRefusedNamingTheKey() throws Exception {
		TaskRanges r = TaskRanges.of(0, 99);
		r.add(120);
		JsonMapper json = new JsonMapper();
		assertEquals("[[0,99],[120,120]]", r.toJson().toString());
		assertEquals(r.toString(), TaskRanges.fromJson(json.readTree("[[0,99],[120,120]]"), "k").toString());
		var e = assertThrows(ParascopeException.class, () -> TaskRanges.fromJson(json.readTree("[[5,1]]"), "confirmedTasks"));
		assertTrue(e.getMessage().startsWith("confirmedTasks: "), e.getMessage());
		assertThrows(ParascopeException.class, () -> TaskRanges.fromJson(json.readTree("[[0,9],[5,12]]"), "k"));
		assertThrows(ParascopeException.class, () -> TaskRanges.fromJson(json.readTree("[1,2]"), "k"));
	}

	private static TaskRanges withAll(TaskRanges a, TaskRanges b) {
		TaskRanges c = a.copy();
		c.addAll(b);
		return c;
	}
}
