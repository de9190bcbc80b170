package org.parascope.fiji;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.List;

import net.imagej.patcher.LegacyEnvironment;

import org.parascope.worker.Runner;
import org.parascope.worker.TaskFailure;
import org.parascope.worker.TaskLog;
import org.parascope.worker.TaskRun;

/**
 * Runs ImageJ macros (.ijm) headless in a warm, private ImageJ 1.x.
 * <p>
 * ImageJ 1.x keeps its state in statics (current image, Results table), so two macros in one
 * class loader would trample each other. Each runner therefore gets its own copy of ImageJ in its
 * own class loader (ij1-patcher's LegacyEnvironment), patched for headless use; workers of one
 * JVM run macros truly in parallel, and each runtime stays warm across tasks.
 */
final class MacroRunner implements Runner {

	/** ij1-patcher's class patching is not known to be safe when run concurrently. */
	private static final Object PATCHING = new Object();

	private final ClassLoader imagej;
	private final Class<?> interpreter;
	private final Method run, wasError, errorMessage;

	MacroRunner() {
		System.setProperty("java.awt.headless", "true");
		try {
			synchronized (PATCHING) {
				LegacyEnvironment env = new LegacyEnvironment(null, true);
				// A worker runs only the task's macro: no user plugin folders, no ImageJ2 initializer.
				env.disableIJ1PluginDirs();
				env.disableInitializer();
				env.noPluginClassLoader();
				env.suppressIJ1ScriptDiscovery();
				imagej = env.getClassLoader();
			}
			interpreter = imagej.loadClass("ij.macro.Interpreter");
			run = interpreter.getMethod("run", String.class, String.class);
			wasError = interpreter.getMethod("wasError");
			errorMessage = interpreter.getMethod("getErrorMessage");
		}
		catch (ReflectiveOperationException e) {
			throw new IllegalStateException("ImageJ 1.x on the class path is not usable: " + e, e);
		}
	}

	@Override
	public void run(TaskRun task) throws Exception {
		Macro macro = Macro.of(Files.readString(task.script()), task);
		Thread thread = Thread.currentThread();
		String name = thread.getName();
		ClassLoader saved = thread.getContextClassLoader();
		// ImageJ reads macro options only on threads named "Run$_..."; plugins load through the context loader.
		thread.setName("Run$_" + name);
		thread.setContextClassLoader(imagej);
		try {
			interpret("setBatchMode(true); close('*'); run('Clear Results');", "", task.log());
			interpret(macro.code(), macro.argument(), task.log());
		}
		finally {
			try {
				interpret("close('*'); run('Clear Results');", "", task.log());
			}
			finally {
				thread.setName(name);
				thread.setContextClassLoader(saved);
			}
		}
	}

	private void interpret(String code, String argument, TaskLog log) throws Exception {
		Object interp = interpreter.getConstructor().newInstance();
		try {
			run.invoke(interp, code, argument);
		}
		catch (InvocationTargetException e) {
			// exit() ends a macro by the same exception as an error; only an error sets wasError.
			if (!Boolean.TRUE.equals(wasError.invoke(interp)) && "Macro canceled".equals(e.getCause().getMessage())) return;
			if (!Boolean.TRUE.equals(wasError.invoke(interp))) throw unwrap(e);
		}
		if (Boolean.TRUE.equals(wasError.invoke(interp))) throw failure(errorMessage.invoke(interp), log);
	}

	/** ImageJ prints "Macro Error: ... in line N" and the line itself; the failure says both. */
	private static TaskFailure failure(Object message, TaskLog log) {
		List<String> lines = log.lines();
		for (int i = lines.size() - 1; i >= 0; i--) {
			if (lines.get(i).startsWith("Macro Error: ")) {
				String where = lines.subList(i + 1, lines.size()).stream()
					.filter(l -> !l.isBlank()).findFirst().map(l -> ": " + l.trim()).orElse("");
				return new TaskFailure("macro error: " + lines.get(i).substring(13) + where);
			}
		}
		return new TaskFailure("macro error: " + message);
	}

	private static Exception unwrap(InvocationTargetException e) {
		Throwable cause = e.getCause();
		if (cause instanceof Exception ex) return ex;
		if (cause instanceof Error err) throw err;
		return e;
	}
}
