package org.parascope.fiji;

import java.io.Writer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.script.ScriptContext;
import javax.script.ScriptEngine;

import org.parascope.worker.Runner;
import org.parascope.worker.TaskFailure;
import org.parascope.worker.TaskLog;
import org.parascope.worker.TaskRun;
import org.scijava.module.ModuleItem;
import org.scijava.script.AdaptedScriptLanguage;
import org.scijava.script.ScriptInfo;
import org.scijava.script.ScriptLanguage;
import org.scijava.script.ScriptModule;

/**
 * Runs SciJava scripts ({@code .py}, {@code .groovy}, ...) in the JVM's warm {@link ScriptRuntime}.
 * A script's {@code #@} inputs are filled by name from the task's values ({@link ScriptValues}),
 * each string converted to the declared type, as Fiji's {@code --run script 'k="v",...'} fills them.
 * <p>
 * Distributed-Fiji scripts write to a relative {@code output/}. The JVM has one current directory,
 * shared by all tasks running at once, so a Python script gets the task's folder as a current
 * directory of its own ({@link PythonTask}). Other languages have no such notion: their relative
 * paths resolve against the worker's directory (a script can declare {@code #@ File output}).
 */
final class ScriptRunner implements Runner {

	private final ScriptRuntime runtime = ScriptRuntime.shared();
	/** This runner's engine of each language; a runner serves one thread at a time. */
	private final Map<ScriptLanguage, CompilingEngine> engines = new HashMap<>();

	@Override
	public void run(TaskRun task) throws Exception {
		String name = task.script().getFileName().toString();
		ScriptInfo info = new ScriptInfo(runtime.context(), task.script().toString());
		if (info.getLanguage() == null) {
			throw new TaskFailure("no script language for " + name + " in this worker (it runs " + runtime.extensions()
				+ "); set FIJI_HOME to run it in an installed Fiji");
		}
		info.setLanguage(warm(info.getLanguage()));
		ScriptModule module = (ScriptModule) runtime.modules().createModule(info);
		fill(module, ScriptValues.of(task), name);
		module.setOutputWriter(new LogWriter(task.log()));
		ScriptRuntime.Outcome outcome;
		try (PythonTask python = PythonTask.enter(module.getEngine(), task.workDir(), task.script())) {
			outcome = runtime.run(module);
		}
		if (outcome.refused() != null) {
			throw new TaskFailure(name + " did not run: " + outcome.refused()
				+ " (script parameters take their values from the task's metadata and the job's shared values)");
		}
		if (!outcome.errors().isEmpty()) throw new TaskFailure(name + " failed: " + summary(outcome.errors().get(0)));
	}

	/**
	 * The language with this runner's engine for it, made once and kept: a new Jython interpreter costs
	 * about half a second, a warm one nothing, and the engine keeps each script compiled. Each task
	 * still starts from an empty namespace.
	 */
	private ScriptLanguage warm(ScriptLanguage language) {
		ScriptEngine engine = engines.computeIfAbsent(language, l -> new CompilingEngine(l.getScriptEngine()));
		engine.setBindings(engine.createBindings(), ScriptContext.ENGINE_SCOPE);
		return new AdaptedScriptLanguage(language) {
			@Override
			public ScriptEngine getScriptEngine() {
				return engine;
			}

			@Override
			public Object decode(Object object) {
				return language.decode(object);
			}
		};
	}

	@Override
	public void close() {
		for (CompilingEngine engine : engines.values()) {
			if (engine.engine() instanceof AutoCloseable closeable) {
				try {
					closeable.close();
				}
				catch (Exception e) {
					// The worker is ending; an engine that cannot close leaves nothing a task needs.
				}
			}
		}
		engines.clear();
	}

	private void fill(ScriptModule module, Map<String, String> values, String name) throws TaskFailure {
		for (ModuleItem<?> item : module.getInfo().inputs()) {
			String value = values.get(item.getName());
			if (value == null) continue;
			// Most parameters are strings; SciJava's converter search costs more than the script.
			Object converted = item.getType() == String.class ? value : runtime.convert().convert(value, item.getType());
			if (converted == null) {
				throw new TaskFailure(name + ": parameter '" + item.getName() + "' is a " + item.getType().getSimpleName()
					+ " but the task gives '" + value + "'");
			}
			module.setInput(item.getName(), converted);
			module.resolveInput(item.getName());
		}
	}

	/** The line that says what went wrong: a Python traceback ends with it; a Java exception starts with it. */
	private static String summary(String error) {
		List<String> lines = error.lines().filter(l -> !l.isBlank()).toList();
		if (lines.isEmpty()) return error;
		if (!lines.get(0).startsWith("Traceback")) return lines.get(0);
		String where = lines.stream().filter(l -> l.trim().startsWith("File ")).reduce((a, b) -> b).map(String::trim).orElse("");
		return lines.get(lines.size() - 1) + (where.isEmpty() ? "" : " (" + where + ")");
	}

	/** What a script prints, line by line into the task's log. */
	private static final class LogWriter extends Writer {
		private final TaskLog log;
		private final StringBuilder line = new StringBuilder();

		LogWriter(TaskLog log) {
			this.log = log;
		}

		@Override
		public synchronized void write(char[] chars, int off, int len) {
			for (int i = off; i < off + len; i++) {
				char c = chars[i];
				if (c == '\n') {
					log.line(line.toString());
					line.setLength(0);
				}
				else if (c != '\r') {
					line.append(c);
				}
			}
		}

		@Override
		public synchronized void flush() {
			if (line.length() > 0) {
				log.line(line.toString());
				line.setLength(0);
			}
		}

		@Override
		public void close() {
			flush();
		}
	}
}
