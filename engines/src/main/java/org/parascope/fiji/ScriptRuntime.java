package org.parascope.fiji;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import javax.script.ScriptEngineFactory;
import javax.script.ScriptEngineManager;

import org.scijava.Context;
import org.scijava.convert.ConvertService;
import org.scijava.log.LogLevel;
import org.scijava.log.LogMessage;
import org.scijava.log.LogService;
import org.scijava.module.ModuleRunner;
import org.scijava.module.ModuleService;
import org.scijava.module.process.LoadInputsPreprocessor;
import org.scijava.module.process.PreprocessorPlugin;
import org.scijava.module.process.SaveInputsPreprocessor;
import org.scijava.plugin.PluginService;
import org.scijava.script.ScriptLanguage;
import org.scijava.script.ScriptModule;
import org.scijava.script.ScriptService;

/**
 * The one SciJava runtime of this JVM, started on first use and shared by every worker: its script
 * languages (the JSR-223 engines on the class path, adapted by scijava-common) and the module
 * machinery that fills a script's {@code #@} parameters as Fiji's {@code --run} does.
 */
final class ScriptRuntime {

	private static ScriptRuntime shared;

	private final Context context;
	private final ScriptService scripts;
	private final ModuleService modules;
	private final ConvertService convert;
	private final PluginService plugins;
	/** The errors logged while a script runs on this thread. */
	private final ThreadLocal<List<String>> errors = new ThreadLocal<>();

	private ScriptRuntime() {
		System.setProperty("java.awt.headless", "true");
		// Jython would scan every jar of the class path into a package cache on disk; Java imports work without it.
		System.setProperty("python.cachedir.skip", "true");
		context = new Context();
		scripts = context.service(ScriptService.class);
		modules = context.service(ModuleService.class);
		convert = context.service(ConvertService.class);
		plugins = context.service(PluginService.class);
		// scijava-common indexes only its ScriptLanguage plugins, which Fiji gets from SciJava's scripting-*
		// artifacts (not on Maven Central); the JSR-223 engines on the class path join the index instead.
		for (ScriptEngineFactory engine : new ScriptEngineManager(ScriptRuntime.class.getClassLoader()).getEngineFactories()) {
			scripts.getIndex().add(engine, true);
		}
		context.service(LogService.class).addLogListener(this::logged);
	}

	static synchronized ScriptRuntime shared() {
		if (shared == null) shared = new ScriptRuntime();
		return shared;
	}

	Context context() {
		return context;
	}

	ModuleService modules() {
		return modules;
	}

	ConvertService convert() {
		return convert;
	}

	/** The file name extensions of the languages this runtime has, for messages. */
	String extensions() {
		return scripts.getLanguages().stream().map(ScriptLanguage::getExtensions).flatMap(List::stream)
			.map(e -> "." + e.toLowerCase(Locale.ROOT)).distinct().sorted().collect(Collectors.joining(", "));
	}

	/**
	 * What became of a script run.
	 *
	 * @param refused why a preprocessor did not let it run (a required input without a value), or null
	 * @param errors  what was logged as an error while it ran: SciJava logs a script's exception rather than throwing it
	 */
	record Outcome(String refused, List<String> errors) {}

	/**
	 * Runs the module on this thread, with the preprocessors Fiji's {@code --run} uses (services,
	 * defaults, checks) except persistence: a worker must neither fill a missing value from an earlier
	 * task nor write every task's values to the Java preferences.
	 */
	Outcome run(ScriptModule module) {
		List<PreprocessorPlugin> pre = plugins.createInstancesOfType(PreprocessorPlugin.class).stream()
			.filter(p -> !(p instanceof LoadInputsPreprocessor) && !(p instanceof SaveInputsPreprocessor)).toList();
		List<String> logged = new ArrayList<>();
		errors.set(logged);
		try {
			new ModuleRunner(context, module, pre, List.of()).run();
		}
		finally {
			errors.remove();
		}
		String refused = pre.stream().filter(PreprocessorPlugin::isCanceled).map(PreprocessorPlugin::getCancelReason)
			.findFirst().orElse(null);
		return new Outcome(refused, logged);
	}

	private void logged(LogMessage message) {
		List<String> logged = errors.get();
		if (logged == null || message.level() > LogLevel.ERROR) return;
		Throwable t = message.throwable();
		logged.add(t != null ? String.valueOf(t) : message.text());
	}
}
