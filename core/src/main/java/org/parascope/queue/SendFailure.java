package org.parascope.queue;

import org.parascope.ParascopeException;

/**
 * Sending stopped part-way. {@link #sent()} says what became of each task given: confirmed (perhaps
 * twice), unanswered (may or may not be in the queue), or not sent.
 */
public final class SendFailure extends ParascopeException {

	private final Sent sent;

	public SendFailure(String message, Sent sent, Throwable cause) {
		super(message, cause);
		this.sent = sent;
	}

	public Sent sent() {
		return sent;
	}

	/** Tasks the queue confirmed. */
	public int stored() {
		return sent.confirmed();
	}

	/** Tasks whose requests went unanswered: they may or may not be in the queue. */
	public int unknown() {
		return sent.count(Sent.Fate.UNANSWERED);
	}
}
