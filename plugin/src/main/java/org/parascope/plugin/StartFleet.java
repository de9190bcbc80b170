package org.parascope.plugin;

import java.io.File;
import java.time.Duration;

import org.parascope.Parascope;
import org.parascope.ParascopeException;
import org.parascope.aws.FleetStart;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins > Parascope > Start Fleet...: the spot machines that work the queue (as 'parascope start-fleet'),
 * waiting until they run; writes the state file Monitor Job and Clean Up read.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Parascope>Start Fleet...", headless = true)
public final class StartFleet extends ParascopeCommand {

	@Parameter(label = "Fleet file (none: built from the settings)", required = false, persist = false)
	private File fleet;

	@Parameter(label = "Minutes to wait for the machines", min = "0")
	private int wait = 10;

	@Parameter(type = ItemIO.OUTPUT, label = "Fleet")
	private String fleetId;

	@Override
	public void run() {
		if (fleet != null && !fleet.isFile()) throw new ParascopeException("fleet: " + fleet + " is not a file");
		try (Parascope facade = parascope.open(); Progress progress = progress("Parascope: start fleet")) {
			facade.setup().forEach(progress::say);
			FleetStart.Result result = facade.startFleet(fleet == null ? null : fleet.toPath(), parascope.home(),
				Duration.ofMinutes(wait), progress::say);
			result.warnings().forEach(w -> progress.say("warning: " + w));
			fleetId = result.fleetId();
			progress.say(result.kind() + " " + fleetId + ": " + result.state().running() + " of " + result.state().target()
				+ " machines running. Next: Monitor Job");
		}
	}
}
