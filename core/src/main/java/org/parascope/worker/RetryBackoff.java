package org.parascope.worker;

import java.time.Duration;

/**
 * How long a failed task stays hidden before its next try: {@code base} after the first receive,
 * doubling with every further receive, at most {@code cap}. A task that fails because of a shared
 * cause (a throttled bucket, a flaky mount) thus stops hammering it, and its retries spread out.
 */
public record RetryBackoff(Duration base, Duration cap) {

	/** Retry at once: the local runs, where nothing is shared and quick feedback counts. */
	public static final RetryBackoff NONE = new RetryBackoff(Duration.ZERO, Duration.ZERO);

	/** The longest wait: a task comes back within a quarter of an hour whatever its count. */
	public static final Duration MAX = Duration.ofMinutes(15);

	public RetryBackoff {
		if (base.isNegative() || cap.isNegative()) throw new IllegalArgumentException("negative backoff");
	}

	/** A backoff of {@code base} doubling up to {@link #MAX}. */
	public static RetryBackoff from(Duration base) {
		return new RetryBackoff(base, base.isZero() ? Duration.ZERO : MAX);
	}

	/** The delay after the {@code receiveCount}-th receive (1 for the first) failed. */
	public Duration delay(int receiveCount) {
		int doublings = Math.min(Math.max(receiveCount, 1) - 1, 30);
		long millis = base.toMillis() << doublings;
		return millis < 0 || millis > cap.toMillis() ? cap : Duration.ofMillis(millis);
	}
}
