package org.parascope;

/**
 * What a failure means to whoever tries again (the monitor): weather that waiting can fix, an interrupt
 * (someone wants the caller to stop), or neither; and the failure in one sentence for people. Each cloud's
 * adapters know their SDK's failures (aws.AwsFailures); {@link #CORE} knows core's own only.
 */
public interface Failures {

	/** Whether waiting and trying again can fix what {@code failure} (or one of its causes) says. */
	boolean isTransient(Throwable failure);

	/** Whether {@code failure} comes from an interrupt: someone (Ctrl-C, a Stop button) wants the caller to stop. */
	boolean isInterrupt(Throwable failure);

	/** The failure in one sentence. */
	String explain(Throwable failure);

	/** A {@link TransientException} is weather; an {@link InterruptedException} or {@link Ticker.Interrupted} an interrupt. */
	Failures CORE = new Failures() {
		@Override
		public boolean isTransient(Throwable failure) {
			return has(failure, TransientException.class);
		}

		@Override
		public boolean isInterrupt(Throwable failure) {
			return has(failure, InterruptedException.class) || has(failure, Ticker.Interrupted.class);
		}

		@Override
		public String explain(Throwable failure) {
			return failure.getMessage() != null ? failure.getMessage() : failure.toString();
		}
	};

	private static boolean has(Throwable failure, Class<? extends Throwable> type) {
		for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
			if (type.isInstance(t)) return true;
		}
		return false;
	}
}
