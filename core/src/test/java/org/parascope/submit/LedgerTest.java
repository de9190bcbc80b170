package org.parascope.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.parascope.queue.Sent;
import org.parascope.queue.Sent.Fate;
import org.parascope.submit.JobManifest.State;
import org.parascope.submit.JobManifest.Tally;

/** The accounts a resumed submit goes on from, and what each fate does to them. */
class LedgerTest {

	private static JobManifest record(State state, Tally tally) {
		Instant then = Instant.now().minusSeconds(60);
		return new JobManifest("j-1", "j.json", "abc", "Q", "us-east-1", 30, tally, state, null, then, then);
	}

	@Test
	void afterAFailureOnlyTheUnansweredAreInDoubt() {
		Ledger ledger = Ledger.resuming(record(State.FAILED, Tally.of(TaskRanges.of(0, 9), TaskRanges.of(10, 14),
			new TaskRanges(), 2)));
		assertFalse(ledger.needed(9));
		assertTrue(ledger.needed(10) && ledger.needed(20));
		long[] batch = { 10, 11, 20, 21 };
		ledger.dispatched(batch);
		assertEquals("10-14, 20-21", ledger.tally().unansweredTasks().toString(), "in flight counts as unanswered");
		ledger.settled(batch, new Sent(new Fate[] { Fate.CONFIRMED, Fate.NOT_SENT, Fate.CONFIRMED, Fate.UNANSWERED }, 1));
		Tally t = ledger.tally();
		assertEquals("0-10, 20", t.confirmedTasks().toString());
		assertEquals("10", t.possiblyDuplicatedTasks().toString(), "unanswered before, confirmed now: maybe twice");
		assertEquals("11-14, 21", t.unansweredTasks().toString(), "11 was not sent again: still in doubt");
		assertEquals(3, t.sendsUnanswered());
	}

	@Test
	void afterAKillEveryTaskNotConfirmedIsInDoubt() {
		// A process killed while sending may have sent any task after its record's last write.
		Ledger ledger = Ledger.resuming(record(State.SENDING, Tally.of(TaskRanges.of(0, 9), new TaskRanges(),
			new TaskRanges(), 0)));
		assertEquals("10-29", ledger.tally().unansweredTasks().toString());
		long[] batch = { 25 };
		ledger.dispatched(batch);
		ledger.settled(batch, Sent.allConfirmed(1));
		assertEquals("25", ledger.tally().possiblyDuplicatedTasks().toString());
	}
}
