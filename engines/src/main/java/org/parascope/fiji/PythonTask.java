package org.parascope.fiji;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import javax.script.ScriptEngine;
import javax.script.ScriptException;

import org.python.core.PySystemState;

/**
 * What a task of a warm Jython engine needs that a new Fiji process gives for free: the task's folder
 * as its current directory, and, at its end, the files it left open closed (CPython and a process
 * exit close them; a warm Jython keeps them buffered). Each Jython engine has its own {@code sys},
 * whose current directory {@code open}, {@code os} and {@code os.path} use, so that tasks running at
 * once in one JVM each see their own.
 */
final class PythonTask implements AutoCloseable {

	private static final Field CLOSER = field(PySystemState.class, "closer");
	private static final Field RESOURCE_CLOSERS = field(CLOSER.getType(), "resourceClosers");

	private final PySystemState sys;
	private final Set<Callable<Void>> openBefore;

	private PythonTask(PySystemState sys) {
		this.sys = sys;
		this.openBefore = Set.copyOf(closers(sys));
	}

	/**
	 * Enters {@code folder} in the engine, if it is a Python engine (null otherwise), and names the
	 * script in {@code __file__}: Jython sets it only while compiling, which a warm engine does once.
	 */
	static PythonTask enter(ScriptEngine engine, Path folder, Path script) throws ScriptException, IOException {
		if (!"python".equalsIgnoreCase(engine.getFactory().getLanguageName())) return null;
		engine.put("__file__", script.toString());
		// An expression, so that the script's namespace gains no name; in Jython, sys is a PySystemState.
		PySystemState sys = (PySystemState) engine.eval("__import__('sys')");
		// What os.chdir does (the real path of an existing folder), without compiling a statement per task.
		sys.setCurrentWorkingDir(folder.toRealPath().toString());
		return new PythonTask(sys);
	}

	/** Closes the files the task opened and left open, so that what it wrote is on disk. */
	@Override
	public void close() throws Exception {
		List<Callable<Void>> left = closers(sys).stream().filter(c -> !openBefore.contains(c)).toList();
		for (Callable<Void> closer : left) {
			sys.unregisterCloser(closer);
			closer.call();
		}
	}

	@SuppressWarnings("unchecked")
	private static Set<Callable<Void>> closers(PySystemState sys) {
		try {
			Set<Callable<Void>> set = (Set<Callable<Void>>) RESOURCE_CLOSERS.get(CLOSER.get(sys));
			synchronized (set) {
				return Set.copyOf(set);
			}
		}
		catch (IllegalAccessException e) {
			throw new IllegalStateException(e);
		}
	}

	/** Jython keeps its list of open files private; this Jython version's field, checked by the tests. */
	private static Field field(Class<?> type, String name) {
		try {
			Field f = type.getDeclaredField(name);
			f.setAccessible(true);
			return f;
		}
		catch (NoSuchFieldException e) {
			throw new IllegalStateException("this Jython has no " + type.getName() + "." + name
				+ ": the worker's Python task handling needs the Jython version pom-scijava names", e);
		}
	}
}
