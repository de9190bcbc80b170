package org.parascope.plugin;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Plugins > Parascope > About Parascope: which Parascope is installed. Callable from macros. */
@Plugin(type = Command.class, menuPath = "Plugins>Parascope>About Parascope", headless = true)
public final class AboutParascope implements Command {

	@Parameter(type = ItemIO.OUTPUT, label = "Parascope")
	private String about;

	@Override
	public void run() {
		String version = AboutParascope.class.getPackage().getImplementationVersion();
		about = "Parascope " + (version != null ? version : "(development build)")
			+ ": runs Fiji and CellProfiler analyses at scale on AWS, or on this machine.";
	}
}
