package org.parascope.plugin;

import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.parascope.AutoMonitor;
import org.parascope.Parascope;
import org.parascope.ParascopeException;
import org.parascope.config.ConfigKey;
import org.parascope.monitor.MonitorOptions;
import org.parascope.run.FleetStarted;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins > Parascope > Start Fleet...: the spot machines that work the queue (as 'parascope start-fleet'),
 * waiting until they run; writes the state file Monitor Job and Clean Up read. With AUTO_MONITOR True (the
 * default) it then starts the detached monitor in AWS, which tears the run down when it is done with Fiji
 * closed; "No monitor" (macro key noMonitor) leaves that to Monitor Job, with a warning about cost.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Parascope>Start Fleet...", headless = true)
public final class StartFleet extends ParascopeCommand {

	@Parameter(label = "Fleet file (none: built from the settings)", required = false, persist = false)
	private File fleet;

	@Parameter(label = "Minutes to wait for the machines", min = "0")
	private int wait = 10;

	/** Not remembered (persist = false): each start is monitored unless this one says otherwise. */
	@Parameter(label = "No monitor (Monitor Job watches the run, Fiji must stay open)", required = false, persist = false,
		description = "Do not start the detached monitor although AUTO_MONITOR is True: until a monitor tears the run "
			+ "down, the machines cost money.")
	private boolean noMonitor;

	@Parameter(type = ItemIO.OUTPUT, label = "Fleet")
	private String fleetId;

	/** "detached" (a monitor in AWS watches the run), "none" (no monitor yet) or "failed" (it could not be started). */
	@Parameter(type = ItemIO.OUTPUT, label = "Monitor")
	private String monitor;

	/** What to do next: how to follow or watch the run, or tear it down. */
	@Parameter(type = ItemIO.OUTPUT, label = "Next")
	private String next;

	@Override
	void execute() {
		if (fleet != null && !fleet.isFile()) throw new ParascopeException("fleet: " + fleet + " is not a file");
		try (Parascope facade = parascope.open(); Progress progress = progress("Parascope: start fleet")) {
			// Setup refuses, before anything changes, without DOCKERHUB_TAG: the workers' image, which the
			// monitor runs too; so AutoMonitor's check of it (the command line's, which runs no setup) is not needed here.
			AutoMonitor auto = AutoMonitor.of(facade.config(), noMonitor, "noMonitor",
				"tick \"No monitor\" (macro key noMonitor)");
			facade.setup().forEach(progress::say);
			FleetStarted result = facade.startFleet(fleet == null ? null : fleet.toPath(), parascope.home(),
				Duration.ofMinutes(wait), progress::say);
			result.warnings().forEach(this::warn);
			fleetId = result.fleetId();
			progress.say(result.kind() + " " + fleetId + ": " + result.state().running() + " of " + result.state().target()
				+ " machines running.");
			if (!auto.on()) {
				warn(auto.costWarning(result.state().target(), facade.config().decimal(ConfigKey.MACHINE_PRICE)));
				monitor = "none";
				next = "Monitor Job watches the run from Fiji and tears it down when it is done (keep Fiji open); "
					+ "Clean Up tears it down now";
			}
			else {
				try {
					facade.detachMonitor(result.stateFile(), MonitorOptions.of(facade.config(), MonitorOptions.DEFAULT_INTERVAL,
						false), List.of(), progress::say);
					monitor = "detached";
					next = "The monitor runs in AWS (AUTO_MONITOR) and tears the run down when it is done; Fiji may be "
						+ "closed. Monitor Job follows it";
				}
				catch (ParascopeException e) {
					// The fleet runs: the outputs must say so, and how to stop paying for it.
					monitor = "failed";
					warn("the fleet runs, but the monitor could not be started (AUTO_MONITOR): " + e.getMessage()
						+ "; its machines cost up to $" + String.format(Locale.ROOT, "%.2f", result.state().target()
							* facade.config().decimal(ConfigKey.MACHINE_PRICE)) + " an hour until a monitor tears the run down");
					next = "Monitor Job watches the run from Fiji (keep Fiji open); Clean Up tears it down now";
				}
			}
			progress.say("Next: " + next);
		}
	}

	private void warn(String line) {
		if (log != null) log.warn("Parascope: " + line);
		if (status != null) status.showStatus("Parascope: warning: " + line);
	}
}
