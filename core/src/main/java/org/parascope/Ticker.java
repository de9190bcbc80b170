package org.parascope;

import java.time.Duration;
import java.time.Instant;

/**
 * The time the monitor and the teardown see, and their waiting between readings and polls. Tests
 * give a ticker whose clock advances when it "sleeps", so that nothing sleeps in a test.
 */
public interface Ticker {

	Instant now();

	/** Waits {@code duration}; an interrupt ends the command ({@link Interrupted}). */
	void sleep(Duration duration);

	/** A wait was interrupted: someone (Ctrl-C, a Stop button) wants the command to stop. */
	final class Interrupted extends ParascopeException {
		public Interrupted() {
			super("interrupted");
		}
	}

	Ticker SYSTEM = new Ticker() {
		@Override
		public Instant now() {
			return Instant.now();
		}

		@Override
		public void sleep(Duration duration) {
			try {
				Thread.sleep(duration.toMillis());
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new Interrupted();
			}
		}
	};
}
