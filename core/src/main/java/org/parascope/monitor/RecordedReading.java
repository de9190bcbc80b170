package org.parascope.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.parascope.run.RunKeys;
import org.parascope.run.RunState;

/**
 * The monitor's last reading as it keeps it in the run's state, so that whoever follows a detached
 * monitor (monitor --follow, Fiji's Monitor Job) sees the run as that monitor saw it, counts and all.
 */
public final class RecordedReading {

	private RecordedReading() {}

	static RunState into(RunState state, MonitorReading r) {
		return state.with(RunKeys.LAST_WAITING, Long.toString(r.waiting()))
			.with(RunKeys.LAST_IN_FLIGHT, Long.toString(r.inFlight())).with(RunKeys.LAST_DEAD, Long.toString(r.dead()))
			.with(RunKeys.LAST_TARGET, Integer.toString(r.fleetTarget()))
			.with(RunKeys.LAST_MAX_COST, Double.toString(r.maxCost()))
			.with(RunKeys.LAST_EMPTY_READINGS, Integer.toString(r.emptyReadings()));
	}

	/** Empty before the first reading, or when a monitor of an earlier version recorded it (without the counts). */
	public static Optional<MonitorReading> of(RunState state) {
		Map<String, String> m = state.extra();
		if (!m.containsKey(RunKeys.LAST_WAITING) || !m.containsKey(RunKeys.FIRST_READING)) return Optional.empty();
		try {
			MonitorMemory memory = MonitorMemory.of(state, "the state of " + state.fleetId()).orElseThrow();
			return Optional.of(new MonitorReading(memory.lastReading(), Long.parseLong(m.get(RunKeys.LAST_WAITING)),
				Long.parseLong(m.get(RunKeys.LAST_IN_FLIGHT)), Long.parseLong(m.get(RunKeys.LAST_DEAD)), memory.done(),
				memory.total(), memory.elapsed(), Integer.parseInt(m.get(RunKeys.LAST_TARGET)), memory.lastMachines(),
				memory.machineHours(), Double.parseDouble(m.get(RunKeys.LAST_MAX_COST)),
				Integer.parseInt(m.get(RunKeys.LAST_EMPTY_READINGS))));
		}
		catch (RuntimeException e) {
			return Optional.empty(); // a hand-edited state: the follower's one-line notes still say what they can
		}
	}
}
