package org.parascope.monitor;

import java.time.Duration;

import org.parascope.ParascopeException;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;

/**
 * How a monitor watches a run.
 *
 * @param interval        time between readings (DCP: 60 s)
 * @param cheapest        DCP's cheapest mode: 15 minutes after the first reading the fleet target drops to
 *                        one machine; machines already up keep working, lost ones are not replaced
 * @param emptyReadings   consecutive readings with nothing waiting and nothing in flight before the
 *                        teardown; queue counts are approximate, so one empty reading proves nothing
 * @param tasksPerMachine tasks one machine works at once: TASKS_PER_MACHINE containers of DOCKER_CORES
 *                        workers each; the fleet's unit is the machine
 * @param machinePrice    MACHINE_PRICE, the most a machine-hour can cost (the spot price is at most this)
 */
public record MonitorOptions(Duration interval, boolean cheapest, int emptyReadings, int tasksPerMachine,
	double machinePrice) {

	public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);
	public static final int DEFAULT_EMPTY_READINGS = 3;
	/** DCP's cheapest mode waits this long from the monitor's start. */
	public static final Duration CHEAPEST_AFTER = Duration.ofMinutes(15);

	public MonitorOptions {
		if (interval.isNegative() || interval.isZero()) throw new ParascopeException("--interval must be positive");
		if (emptyReadings < 1) throw new ParascopeException("empty readings must be at least 1, got " + emptyReadings);
		if (tasksPerMachine < 1) throw new IllegalArgumentException("tasksPerMachine must be at least 1");
	}

	/** Machines as the config describes them. */
	public static MonitorOptions of(Config config, Duration interval, boolean cheapest) {
		return new MonitorOptions(interval, cheapest, DEFAULT_EMPTY_READINGS,
			config.integer(ConfigKey.TASKS_PER_MACHINE) * config.integer(ConfigKey.DOCKER_CORES),
			config.decimal(ConfigKey.MACHINE_PRICE));
	}
}
