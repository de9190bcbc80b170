package org.parascope.queue;

import java.util.Arrays;

/**
 * What became of each task of one send, in the order given: what a submit records so that its counts
 * are true (docs/queue.md, "What SQS guarantees").
 */
public final class Sent {

	public enum Fate {
		/** The queue confirmed it, and no earlier request of it may have been stored: queued once. */
		CONFIRMED,
		/** The queue confirmed it after an earlier request of it went unanswered: queued once or twice. */
		POSSIBLY_DUPLICATED,
		/** No request of it was answered: queued once, more, or not at all. */
		UNANSWERED,
		/** Never stored: not sent, refused, or every request of it failed before reaching the queue. */
		NOT_SENT
	}

	private final Fate[] fates;
	private final int unansweredRequests;

	public Sent(Fate[] fates, int unansweredRequests) {
		this.fates = fates.clone();
		this.unansweredRequests = unansweredRequests;
	}

	public static Sent allConfirmed(int tasks) {
		Fate[] fates = new Fate[tasks];
		Arrays.fill(fates, Fate.CONFIRMED);
		return new Sent(fates, 0);
	}

	public int size() {
		return fates.length;
	}

	public Fate fate(int task) {
		return fates[task];
	}

	/** Requests whose answer never came (a timeout, a cut connection, a server error) and that may have been stored. */
	public int unansweredRequests() {
		return unansweredRequests;
	}

	public int count(Fate fate) {
		return (int) Arrays.stream(fates).filter(f -> f == fate).count();
	}

	/** Tasks the queue confirmed, duplicated or not. */
	public int confirmed() {
		return count(Fate.CONFIRMED) + count(Fate.POSSIBLY_DUPLICATED);
	}
}
