package org.parascope.submit;

import org.parascope.queue.Sent;
import org.parascope.submit.JobManifest.State;
import org.parascope.submit.JobManifest.Tally;

/**
 * The accounts of one job's tasks across its submits, by task number: which the queue confirmed,
 * which went unanswered (may be queued), which may be queued twice, and which are in flight now.
 * A task in flight when the record is written counts as unanswered: the process may end before its
 * answer comes. Safe for the sender threads to use at once.
 */
final class Ledger {

	private final TaskRanges confirmed;
	private final TaskRanges unanswered;
	private final TaskRanges duplicated;
	private final TaskRanges inFlight = new TaskRanges();
	private long sendsUnanswered;

	private Ledger(TaskRanges confirmed, TaskRanges unanswered, TaskRanges duplicated, long sendsUnanswered) {
		this.confirmed = confirmed;
		this.unanswered = unanswered;
		this.duplicated = duplicated;
		this.sendsUnanswered = sendsUnanswered;
	}

	static Ledger fresh() {
		return new Ledger(new TaskRanges(), new TaskRanges(), new TaskRanges(), 0);
	}

	/**
	 * Goes on from an earlier submit's record. When that submit died without a word (state
	 * {@code sending}), any task it did not record as confirmed may have been sent after its last
	 * write: all of them count as unanswered, so that a copy the queue confirms now is reported as
	 * possibly duplicated.
	 */
	static Ledger resuming(JobManifest earlier) {
		Tally t = earlier.tally();
		TaskRanges unanswered = earlier.state() == State.SENDING ? t.confirmedTasks().complement(earlier.taskCount())
			: t.unansweredTasks().copy();
		return new Ledger(t.confirmedTasks().copy(), unanswered, t.possiblyDuplicatedTasks().copy(), t.sendsUnanswered());
	}

	/** Whether task {@code n} still has to be sent. */
	boolean needed(long n) {
		return !confirmed.contains(n);
	}

	synchronized void dispatched(long[] tasks) {
		for (long t : tasks) inFlight.add(t);
	}

	/** The batch was not sent after all (the submit was stopping). */
	synchronized void withdrawn(long[] tasks) {
		for (long t : tasks) inFlight.remove(t);
	}

	/** What the queue made of a batch. */
	synchronized void settled(long[] tasks, Sent sent) {
		for (int i = 0; i < tasks.length; i++) {
			long t = tasks[i];
			inFlight.remove(t);
			switch (sent.fate(i)) {
				case CONFIRMED, POSSIBLY_DUPLICATED -> {
					confirmed.add(t);
					// Unanswered before (by this submit or an earlier one): this copy may be its second.
					if (sent.fate(i) == Sent.Fate.POSSIBLY_DUPLICATED || unanswered.contains(t)) duplicated.add(t);
					unanswered.remove(t);
				}
				case UNANSWERED -> unanswered.add(t);
				case NOT_SENT -> {
					// As before: not queued by this submit.
				}
			}
		}
		sendsUnanswered += sent.unansweredRequests();
	}

	/** A batch whose fate nobody knows (an unexpected error while it was sent): each task may be queued. */
	synchronized void unknown(long[] tasks) {
		for (long t : tasks) {
			inFlight.remove(t);
			unanswered.add(t);
		}
	}

	synchronized long confirmedCount() {
		return confirmed.size();
	}

	synchronized long unansweredCount() {
		return tally().tasksUnconfirmed();
	}

	synchronized long duplicatedCount() {
		return duplicated.size();
	}

	/** The accounts as a record says them: copies, with the tasks in flight as unanswered. */
	synchronized Tally tally() {
		TaskRanges open = unanswered.copy();
		open.addAll(inFlight);
		return Tally.of(confirmed.copy(), open, duplicated.copy(), sendsUnanswered);
	}
}
