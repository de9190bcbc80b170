package org.parascope.queue;

import org.parascope.ParascopeException;

/**
 * Sending stopped part-way. The queue knows how far it got: {@link #stored()} of the tasks given were
 * confirmed stored; {@link #unknown()} were in a request whose answer never came (a broken connection),
 * so they may or may not be in the queue; the rest were not sent.
 */
public final class SendFailure extends ParascopeException {

	private final int stored;
	private final int unknown;

	public SendFailure(String message, int stored, int unknown, Throwable cause) {
		super(message, cause);
		this.stored = stored;
		this.unknown = unknown;
	}

	public int stored() {
		return stored;
	}

	public int unknown() {
		return unknown;
	}
}
