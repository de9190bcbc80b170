package org.parascope.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

import org.parascope.Ticker;

/**
 * A clock for tests that advances only when the code under test waits, and runs the test's next
 * step at each wait; with no step left, the waiter is "killed" ({@link Killed}), as a monitor
 * process would be: an Error, which the monitor's handling of failures does not catch.
 */
public final class ScriptedTicker implements Ticker {

	public static final class Killed extends Error {
		private static final long serialVersionUID = 1L;
	}

	private Instant now;
	private final Deque<Runnable> steps = new ArrayDeque<>();

	public ScriptedTicker(Instant start) {
		now = start;
	}

	public ScriptedTicker then(Runnable step) {
		steps.add(step);
		return this;
	}

	public ScriptedTicker idle(int waits) {
		for (int i = 0; i < waits; i++) steps.add(() -> {});
		return this;
	}

	@Override
	public Instant now() {
		return now;
	}

	@Override
	public void sleep(Duration d) {
		now = now.plus(d);
		if (steps.isEmpty()) throw new Killed();
		steps.poll().run();
	}
}
