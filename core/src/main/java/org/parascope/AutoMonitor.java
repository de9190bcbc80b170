package org.parascope;

import java.util.Locale;

import org.parascope.config.Config;
import org.parascope.config.ConfigKey;

/**
 * AUTO_MONITOR as every face's Start Fleet applies it (the command line, Fiji, the CellProfiler module):
 * with it True (DCP's default) the fleet's start also starts the detached monitor, unless the face's
 * own opt-out says not to; without a monitor, the face warns what the machines cost. Each face names
 * its opt-out ({@code --no-monitor}, Fiji's {@code noMonitor}) so that its errors say how to use it there.
 */
public final class AutoMonitor {

	private final boolean on;
	private final String optOut;
	private final String howToOptOut;
	private final boolean optedOut;

	private AutoMonitor(boolean on, boolean optedOut, String optOut, String howToOptOut) {
		this.on = on;
		this.optedOut = optedOut;
		this.optOut = optOut;
		this.howToOptOut = howToOptOut;
	}

	/**
	 * @param optedOut    the face was told not to start the monitor
	 * @param optOut      the opt-out's name on this face, e.g. "--no-monitor"
	 * @param howToOptOut what a user does on this face to opt out, e.g. "pass --no-monitor"
	 */
	public static AutoMonitor of(Config config, boolean optedOut, String optOut, String howToOptOut) {
		return new AutoMonitor(!optedOut && config.bool(ConfigKey.AUTO_MONITOR), optedOut, optOut, howToOptOut);
	}

	/** Whether this start of a fleet starts the detached monitor. */
	public boolean on() {
		return on;
	}

	/** Before anything starts: the monitor's image (DOCKERHUB_TAG) is set when the monitor is to be started. */
	public void check(Config config) {
		if (on && !config.has(ConfigKey.DOCKERHUB_TAG)) {
			throw new ParascopeException("DOCKERHUB_TAG is not set: with AUTO_MONITOR True, start-fleet starts the monitor "
				+ "from that image; set it, or " + howToOptOut + " (nothing was started)");
		}
	}

	/** What a run without a monitor costs until one tears it down; {@code price} is MACHINE_PRICE. */
	public String costWarning(int machines, double price) {
		return "no monitor watches this run (" + (optedOut ? optOut : "AUTO_MONITOR is False") + "): its " + machines
			+ " machine(s) cost up to $" + String.format(Locale.ROOT, "%.2f", machines * price) + " an hour until a monitor "
			+ "tears the run down (idle machines end after 15 minutes, the fleet after MAX_RUN_HOURS)";
	}
}
