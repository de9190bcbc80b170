package org.parascope.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.MenuEntry;
import org.scijava.module.Module;

/** A real SciJava context finds the command through the plugin index and runs it headless. */
class AboutParascopeTest {

	@Test
	void theCommandIsInThePluginsMenuAndRuns() throws Exception {
		try (Context context = new Context(CommandService.class)) {
			CommandService commands = context.service(CommandService.class);
			CommandInfo info = commands.getCommand(AboutParascope.class);
			assertEquals(List.of("Plugins", "Parascope", "About Parascope"),
				info.getMenuPath().stream().map(MenuEntry::getName).toList());
			Module module = commands.run(AboutParascope.class, true).get();
			assertTrue(((String) module.getOutput("about")).startsWith("Parascope "), module.getOutputs().toString());
		}
	}
}
