package org.parascope.fiji;

import java.nio.file.Path;

import org.parascope.config.Config;
import org.parascope.job.Engine;
import org.parascope.job.Task;
import org.parascope.worker.Runner;
import org.parascope.worker.RunnerProvider;

/** Fiji tasks whose script is an ImageJ macro; run in the installed Fiji when FIJI_HOME is set. */
public final class MacroRunnerProvider implements RunnerProvider {

	@Override
	public boolean handles(Task task, Path script) {
		String name = script.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
		return task.engine() == Engine.FIJI && (name.endsWith(".ijm") || name.endsWith(".txt"));
	}

	@Override
	public Runner create(Config config) {
		return InstalledFijiRunner.configured(config).orElseGet(MacroRunner::new);
	}
}
