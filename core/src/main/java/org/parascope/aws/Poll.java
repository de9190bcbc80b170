package org.parascope.aws;

import java.time.Duration;

import org.parascope.ParascopeException;

/**
 * Waiting on AWS until a deadline: look, pause, look again, with pauses growing from one second to
 * fifteen, so that a quick answer is seen at once and a slow one costs few calls.
 */
public final class Poll {

	private static final long LONGEST_PAUSE = 15_000;

	private final long deadline;
	private long pause = 1_000;

	public Poll(Duration limit) {
		this.deadline = System.nanoTime() + limit.toNanos();
	}

	/** Pauses before the next look; false, without pausing, once the time is up. */
	public boolean another() {
		long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
		if (leftMillis <= 0) return false;
		try {
			Thread.sleep(Math.min(pause, leftMillis));
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new ParascopeException("interrupted while waiting for AWS");
		}
		pause = Math.min(pause * 2, LONGEST_PAUSE);
		return true;
	}
}
