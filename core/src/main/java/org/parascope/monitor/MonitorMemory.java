package org.parascope.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.parascope.ParascopeException;
import org.parascope.queue.QueueCounts;
import org.parascope.run.RunKeys;
import org.parascope.run.RunState;

/**
 * What the monitor remembers between readings, kept in the state file so that a restart loses nothing:
 * a queue only counts what is still in it, so "done" is the tasks seen minus those still there.
 */
record MonitorMemory(Instant firstReading, long total, long done, double machineHours, Instant lastReading,
	int lastMachines) {

	/** Empty before the monitor's first reading. */
	static Optional<MonitorMemory> of(RunState state, String location) {
		if (!state.extra().containsKey(RunKeys.FIRST_READING)) return Optional.empty();
		Parser p = new Parser(state, location);
		return Optional.of(new MonitorMemory(p.time(RunKeys.FIRST_READING), p.number(RunKeys.TASKS),
			p.number(RunKeys.DONE), p.decimal(RunKeys.MACHINE_HOURS), p.time(RunKeys.LAST_READING),
			(int) p.number(RunKeys.LAST_MACHINES)));
	}

	/**
	 * The first reading: machines up now are assumed up since the fleet started (an upper bound, like
	 * the cost it feeds).
	 */
	static MonitorMemory first(Instant now, QueueCounts counts, int machines, Instant fleetStart) {
		double hours = fleetStart.isBefore(now) ? hours(fleetStart, now) : 0;
		return new MonitorMemory(now, outstanding(counts), 0, machines * hours, now, machines);
	}

	/** Adds a reading: tasks beyond the ones seen so far were submitted since, not done. */
	MonitorMemory next(Instant now, QueueCounts counts, int machines) {
		long left = outstanding(counts);
		long seen = Math.max(total, left + done);
		double more = lastReading.isBefore(now) ? Math.max(lastMachines, machines) * hours(lastReading, now) : 0;
		return new MonitorMemory(firstReading, seen, seen - left, machineHours + more, now, machines);
	}

	RunState into(RunState state) {
		return state.with(RunKeys.FIRST_READING, Long.toString(firstReading.toEpochMilli()))
			.with(RunKeys.TASKS, Long.toString(total)).with(RunKeys.DONE, Long.toString(done))
			.with(RunKeys.MACHINE_HOURS, Double.toString(machineHours))
			.with(RunKeys.LAST_READING, Long.toString(lastReading.toEpochMilli()))
			.with(RunKeys.LAST_MACHINES, Integer.toString(lastMachines));
	}

	Duration elapsed() {
		return Duration.between(firstReading, lastReading);
	}

	private static long outstanding(QueueCounts counts) {
		return counts.waiting() + counts.inFlight() + counts.dead();
	}

	private static double hours(Instant from, Instant to) {
		return Duration.between(from, to).toMillis() / 3_600_000.0;
	}

	/** Reads the keys, naming the file and key when one was edited into something else. */
	private record Parser(RunState state, String location) {
		String text(String key) {
			String value = state.extra().get(key);
			if (value == null) throw new ParascopeException(location + ": " + key + " is missing");
			return value;
		}

		long number(String key) {
			try {
				return Long.parseLong(text(key));
			}
			catch (NumberFormatException e) {
				throw new ParascopeException(location + ": " + key + ": expected a whole number, got " + text(key));
			}
		}

		double decimal(String key) {
			try {
				return Double.parseDouble(text(key));
			}
			catch (NumberFormatException e) {
				throw new ParascopeException(location + ": " + key + ": expected a number, got " + text(key));
			}
		}

		Instant time(String key) {
			return Instant.ofEpochMilli(number(key));
		}
	}
}
