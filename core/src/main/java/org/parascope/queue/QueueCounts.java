package org.parascope.queue;

/**
 * How many tasks are where. On SQS these are approximate.
 *
 * @param waiting  visible, ready to be received
 * @param inFlight received and hidden (running, or released with a delay)
 * @param dead     on the dead-letter side
 */
public record QueueCounts(long waiting, long inFlight, long dead) {

	/** Nothing left to run: every task is done or dead. */
	public boolean drained() {
		return waiting == 0 && inFlight == 0;
	}
}
