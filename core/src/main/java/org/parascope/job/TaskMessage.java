package org.parascope.job;

/** A task as a queue message body. STUB with the agreed API: the job work replaces the body. */
public final class TaskMessage {

	private TaskMessage() {}

	/** The native body: a JSON object that {@link #decode} reads back to an equal Task. */
	public static String encode(Task task) {
		throw new UnsupportedOperationException("stub");
	}

	/** Reads a native, Distributed-CellProfiler, Distributed-Fiji or Distributed-Something body. */
	public static Task decode(String body) {
		throw new UnsupportedOperationException("stub");
	}
}
