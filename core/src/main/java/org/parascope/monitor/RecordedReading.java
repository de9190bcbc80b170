package org.parascope.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.parascope.aws.StateFile;

/**
 * The monitor's last reading as it keeps it in the run's state, so that whoever follows a detached
 * monitor (monitor --follow, Fiji's Monitor Job) sees the run as that monitor saw it, counts and all.
 */
public final class RecordedReading {

	private RecordedReading() {}

	static StateFile into(StateFile state, MonitorReading r) {
		return state.with(StateKeys.LAST_WAITING, Long.toString(r.waiting()))
			.with(StateKeys.LAST_IN_FLIGHT, Long.toString(r.inFlight())).with(StateKeys.LAST_DEAD, Long.toString(r.dead()))
			.with(StateKeys.LAST_TARGET, Integer.toString(r.fleetTarget()))
			.with(StateKeys.LAST_MAX_COST, Double.toString(r.maxCost()))
			.with(StateKeys.LAST_EMPTY_READINGS, Integer.toString(r.emptyReadings()));
	}

	/** Empty before the first reading, or when a monitor of an earlier version recorded it (without the counts). */
	public static Optional<MonitorReading> of(StateFile state) {
		Map<String, String> m = state.extra();
		if (!m.containsKey(StateKeys.LAST_WAITING) || !m.containsKey(StateKeys.FIRST_READING)) return Optional.empty();
		try {
			MonitorMemory memory = MonitorMemory.of(state, "the state of " + state.fleetId()).orElseThrow();
			return Optional.of(new MonitorReading(memory.lastReading(), Long.parseLong(m.get(StateKeys.LAST_WAITING)),
				Long.parseLong(m.get(StateKeys.LAST_IN_FLIGHT)), Long.parseLong(m.get(StateKeys.LAST_DEAD)), memory.done(),
				memory.total(), memory.elapsed(), Integer.parseInt(m.get(StateKeys.LAST_TARGET)), memory.lastMachines(),
				memory.machineHours(), Double.parseDouble(m.get(StateKeys.LAST_MAX_COST)),
				Integer.parseInt(m.get(StateKeys.LAST_EMPTY_READINGS))));
		}
		catch (RuntimeException e) {
			return Optional.empty(); // a hand-edited state: the follower's one-line notes still say what they can
		}
	}
}
