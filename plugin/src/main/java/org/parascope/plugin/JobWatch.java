package org.parascope.plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.parascope.job.Task;
import org.parascope.monitor.Monitor;
import org.parascope.monitor.MonitorListener;
import org.parascope.monitor.MonitorReading;

/**
 * What Monitor Job shows, fed by the monitor: the last reading, the monitor's notes, the failed tasks
 * and where the run stands. The window and the headless log both render it; it knows no Swing.
 */
public final class JobWatch implements MonitorListener {

	public enum Phase {
		STARTING("waiting for the first reading"), RUNNING("running"), DONE("done: results are in, the cloud is clean"),
		FAILED("finished with failed tasks"), STOPPED("stopped");

		private final String text;

		Phase(String text) {
			this.text = text;
		}

		public String text() {
			return text;
		}
	}

	private final List<Runnable> changed = new CopyOnWriteArrayList<>();
	private MonitorReading last;
	private final List<MonitorReading> history = new ArrayList<>();
	private final List<String> notes = new ArrayList<>();
	private List<Task> failed = List.of();
	private Phase phase = Phase.STARTING;
	private String problem;

	/** Called after every change, on the thread that made it. */
	public void onChange(Runnable listener) {
		changed.add(listener);
	}

	@Override
	public void reading(MonitorReading reading) {
		synchronized (this) {
			last = reading;
			history.add(reading);
			// A week of one-minute readings is 10,000: every other one goes, so the charts stay cheap.
			if (history.size() > HISTORY) for (int i = history.size() - 2; i > 0; i -= 2) history.remove(i);
			if (phase == Phase.STARTING) phase = Phase.RUNNING;
		}
		fire();
	}

	@Override
	public void note(String line) {
		synchronized (this) {
			notes.add(line);
		}
		fire();
	}

	/** The tasks in the dead-letter queue, as last read. */
	public void failedTasks(List<Task> tasks) {
		synchronized (this) {
			failed = List.copyOf(tasks);
		}
		fire();
	}

	/**
	 * The monitor ended: the run is torn down, by it or (when following a detached monitor, or after a
	 * clean up) by another, which is done when that one's last reading found the queue drained.
	 */
	public void finished(Monitor.Outcome outcome) {
		synchronized (this) {
			outcome.last().ifPresent(r -> last = r);
			boolean drained = last != null && last.waiting() == 0 && last.inFlight() == 0;
			boolean done = outcome.ending() == Monitor.Ending.TORN_DOWN
				|| outcome.ending() == Monitor.Ending.ALREADY_TORN_DOWN && drained;
			phase = dead() > 0 || !failed.isEmpty() ? Phase.FAILED : done ? Phase.DONE : Phase.STOPPED;
		}
		fire();
	}

	/** The monitor stopped on an error. */
	public void stopped(String why) {
		synchronized (this) {
			phase = Phase.STOPPED;
			problem = why;
			notes.add("stopped: " + why);
		}
		fire();
	}

	public synchronized Phase phase() {
		return phase;
	}

	public synchronized Optional<MonitorReading> last() {
		return Optional.ofNullable(last);
	}

	/** The readings so far, oldest first (thinned to at most {@value #HISTORY}). */
	public synchronized List<MonitorReading> history() {
		return List.copyOf(history);
	}

	static final int HISTORY = 1000;

	public synchronized List<String> notes() {
		return List.copyOf(notes);
	}

	public synchronized List<Task> failed() {
		return failed;
	}

	public synchronized Optional<String> problem() {
		return Optional.ofNullable(problem);
	}

	public synchronized long dead() {
		return last == null ? 0 : last.dead();
	}

	/** One line: "18 of 24 done, 1 failed, 3 running, 2 waiting". */
	public synchronized String counts() {
		if (last == null) return phase.text();
		return String.format(Locale.ROOT, "%d of %d done, %d failed, %d running, %d waiting", last.done(), last.total(),
			last.dead(), last.inFlight(), last.waiting());
	}

	private void fire() {
		changed.forEach(Runnable::run);
	}
}
