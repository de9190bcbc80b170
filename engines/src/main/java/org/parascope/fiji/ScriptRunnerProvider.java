package org.parascope.fiji;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

import org.parascope.config.Config;
import org.parascope.job.Engine;
import org.parascope.job.Task;
import org.parascope.worker.Runner;
import org.parascope.worker.RunnerProvider;

/**
 * Fiji tasks whose script is a SciJava script, known by the extensions of Fiji's script languages;
 * run in the worker's warm runtime, or in the installed Fiji when FIJI_HOME is set.
 */
public final class ScriptRunnerProvider implements RunnerProvider {

	private static final Set<String> EXTENSIONS = Set.of("py", "groovy", "js", "bsh", "rb", "clj", "scala", "r", "kt", "java");

	@Override
	public boolean handles(Task task, Path script) {
		String name = script.getFileName().toString().toLowerCase(Locale.ROOT);
		return task.engine() == Engine.FIJI && EXTENSIONS.contains(name.substring(name.lastIndexOf('.') + 1));
	}

	@Override
	public Runner create(Config config) {
		return InstalledFijiRunner.configured(config).orElseGet(ScriptRunner::new);
	}
}
