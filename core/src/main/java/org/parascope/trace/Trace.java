package org.parascope.trace;

import org.parascope.job.Task;
import org.parascope.trace.TraceRecord.Outcome;

/** Where workers record their tries (docs/trace.md); every method may be called from any worker thread. */
public interface Trace extends AutoCloseable {

	/**
	 * A try begins: what its engine runs is measured from now, and a start record is written (batched) if the try
	 * is still running when records are next made (docs/trace.md, "The records").
	 */
	Try begin(String worker, Task task, int attempt);

	/** CHECK_IF_DONE found the task's results: a try that ran nothing. */
	void skipped(String worker, Task task, int attempt);

	/** Writes what is buffered; nothing is recorded after. */
	@Override
	void close();

	/** A try under way, used by the thread that began it. */
	interface Try {
		void fetched(long bytes);

		void stored(long bytes);

		/** Writes the try's end record; {@code reason} is null for a success. */
		void end(Outcome outcome, String reason);
	}

	Trace NONE = new Trace() {
		private static final Try NOTHING = new Try() {
			@Override
			public void fetched(long bytes) {}

			@Override
			public void stored(long bytes) {}

			@Override
			public void end(Outcome outcome, String reason) {}
		};

		@Override
		public Try begin(String worker, Task task, int attempt) {
			return NOTHING;
		}

		@Override
		public void skipped(String worker, Task task, int attempt) {}

		@Override
		public void close() {}
	};
}
