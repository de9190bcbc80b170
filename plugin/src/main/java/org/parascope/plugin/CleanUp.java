package org.parascope.plugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.parascope.Parascope;
import org.parascope.ParascopeException;
import org.parascope.run.TeardownResult;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins > Parascope > Clean Up: tears the run down now, as 'parascope cleanup' does (fleet, service,
 * queue, alarms, dashboard, logs exported); safe to run again. Fails, saying what is left, if it could not finish.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Parascope>Clean Up", headless = true)
public final class CleanUp extends ParascopeCommand {

	@Parameter(type = ItemIO.OUTPUT, label = "Report")
	private String report;

	@Override
	void execute() {
		List<String> lines = new ArrayList<>();
		try (Parascope facade = parascope.open(); Progress progress = progress("Parascope: clean up")) {
			Path state = parascope.stateFile(facade.config());
			TeardownResult result = facade.cleanup(Optional.of(state).filter(Files::isRegularFile), line -> {
				lines.add(line);
				progress.say(line);
			});
			report = String.join("\n", lines);
			if (!result.complete()) {
				throw new ParascopeException("clean up is incomplete (" + String.join("; ", result.problems()) + "); run it again");
			}
		}
	}
}
