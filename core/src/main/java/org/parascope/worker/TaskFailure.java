package org.parascope.worker;

/** The engine ran and reported that the task failed; the message says why, for people. */
public class TaskFailure extends Exception {

	public TaskFailure(String message) {
		super(message);
	}
}
