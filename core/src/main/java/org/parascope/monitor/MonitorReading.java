package org.parascope.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One reading of a run. Queue counts are SQS's approximate counts; "done" is derived from them.
 *
 * @param total         tasks seen since the monitor's first reading (waiting + in flight + dead + done)
 * @param done          tasks that left the queue successfully since the first reading
 * @param elapsed       since the monitor's first reading (kept across restarts)
 * @param fleetTarget   machines the fleet is asked for
 * @param fleetRunning  machines it has (fulfilled capacity)
 * @param machineHours  machine-hours since the fleet started, counting each interval at the larger of
 *                      its two readings
 * @param maxCost       machineHours x MACHINE_PRICE: an upper bound, since spot machines cost at most
 *                      MACHINE_PRICE an hour
 * @param emptyReadings consecutive readings with nothing waiting or in flight so far
 */
public record MonitorReading(Instant at, long waiting, long inFlight, long dead, long done, long total,
	Duration elapsed, int fleetTarget, int fleetRunning, double machineHours, double maxCost, int emptyReadings) {

	/** Tasks done per hour since the first reading. */
	public double tasksPerHour() {
		double hours = elapsed.toMillis() / 3_600_000.0;
		return hours <= 0 ? 0 : done / hours;
	}

	/** At the pace so far; empty until a task is done. */
	public Optional<Duration> eta() {
		double rate = tasksPerHour();
		if (rate <= 0) return Optional.empty();
		return Optional.of(Duration.ofSeconds((long) ((waiting + inFlight) / rate * 3600)));
	}
}
