package org.parascope.dist;

import java.io.File;
import java.util.Map;

import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.module.Module;

/**
 * Run by {@link FijiFitIT} in a JVM whose class path is the stand-in Fiji.app's jars (with the update site
 * installed) and this class: starts a SciJava Context as Fiji does, lists the Parascope commands it found and
 * runs two of them headless. Prints {@code COMMAND <class>}, {@code ABOUT <text>} and {@code RUN <summary>}.
 *
 * <p>Arguments: a folder of images, the macro to run on each, the results folder.
 */
public final class FijiProbe {

	private FijiProbe() {}

	public static void main(String[] args) throws Exception {
		Context context = new Context();
		try {
			CommandService commands = context.service(CommandService.class);
			for (CommandInfo info : commands.getCommands()) {
				if (info.getClassName().startsWith("org.parascope.")) System.out.println("COMMAND " + info.getClassName());
			}
			Module about = commands.run("org.parascope.plugin.AboutParascope", true).get();
			System.out.println("ABOUT " + about.getOutput("about"));
			Module run = commands.run("org.parascope.plugin.RunLocally", true, Map.of("folder", new File(args[0]), "pattern",
				"*.png", "script", new File(args[1]), "grouping", "one task per file", "workers", 2, "output", new File(args[2]))).get();
			System.out.println("RUN " + run.getOutput("summary"));
		}
		finally {
			context.dispose();
		}
		System.exit(0);
	}
}
