package org.parascope.fiji;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import net.imagej.patcher.LegacyEnvironment;

import org.parascope.worker.Runner;
import org.parascope.worker.TaskFailure;
import org.parascope.worker.TaskLog;
import org.parascope.worker.TaskOutput;
import org.parascope.worker.TaskRun;

/**
 * Runs ImageJ macros (.ijm) headless in a warm, private ImageJ 1.x.
 * <p>
 * ImageJ 1.x keeps its state in statics (current image, Results table), so two macros in one
 * class loader would trample each other. Each runner therefore gets its own copy of ImageJ in its
 * own class loader (ij1-patcher's LegacyEnvironment), patched for headless use; workers of one
 * JVM run macros truly in parallel, and each runtime stays warm across tasks. A runner's macros run
 * on a thread of its own, so that the task's thread can abort one that runs too long.
 */
final class MacroRunner implements Runner {

	/** ij1-patcher's class patching is not known to be safe when run concurrently. */
	private static final Object PATCHING = new Object();

	/** How long a stopped task waits for its aborted macro to end. */
	private static final Duration STOP_WAIT = Duration.ofSeconds(30);

	private final ClassLoader imagej;
	private final Class<?> interpreter;
	private final Method run, wasError, errorMessage, abortMacro;
	private ExecutorService macroThread;

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
			abortMacro = interpreter.getMethod("abortMacro");
		}
		catch (ReflectiveOperationException e) {
			throw new IllegalStateException("ImageJ 1.x on the class path is not usable: " + e, e);
		}
	}

	@Override
	public void run(TaskRun task) throws Exception {
		Macro macro = Macro.of(Files.readString(task.script()), task);
		ExecutorService thread = thread(Thread.currentThread().getName());
		Attempt attempt = new Attempt();
		Future<?> running = thread.submit(() -> {
			try (var captured = TaskOutput.capture(task.log())) {
				interpret(attempt, "setBatchMode(true); close('*'); run('Clear Results');", "", task.log());
				try {
					interpret(attempt, macro.code(), macro.argument(), task.log());
				}
				finally {
					// Also after an abort: the next task finds no image and no result of this one.
					interpret(null, "close('*'); run('Clear Results');", "", task.log());
				}
			}
			return null;
		});
		try {
			running.get();
		}
		catch (ExecutionException e) {
			throw unwrap(e.getCause());
		}
		catch (InterruptedException e) {
			stop(thread, attempt, running, task.log());
			throw e;
		}
	}

	/** One task's macros on the macro thread, and whether the task's thread has stopped them. */
	private static final class Attempt {
		volatile boolean stopped;
		/** The interpreter running one of them, if any. */
		volatile Object interpreter;
	}

	/**
	 * Ends the macro the task's thread was waiting for (its timeout, or the worker handing the task
	 * back). ImageJ ignores interrupts: its interpreter checks its own abort flag at every statement.
	 * It also clears that flag as a macro starts, so the abort is repeated until the attempt is over;
	 * the stopped flag keeps a macro of this attempt that has not started yet from starting.
	 */
	private void stop(ExecutorService thread, Attempt attempt, Future<?> running, TaskLog log) {
		attempt.stopped = true;
		running.cancel(true);
		// Runs once the attempt has ended: the next task must not share ImageJ with a macro still running.
		Future<?> over = thread.submit(() -> null);
		long deadline = System.nanoTime() + STOP_WAIT.toNanos();
		boolean interrupted = false;
		while (!over.isDone() && System.nanoTime() < deadline) {
			Object interp = attempt.interpreter;
			try {
				if (interp != null) abortMacro.invoke(interp);
				over.get(100, TimeUnit.MILLISECONDS);
			}
			catch (TimeoutException | ExecutionException | ReflectiveOperationException e) {
				// Not over yet: abort again.
			}
			catch (InterruptedException e) {
				interrupted = true; // asked again to stop: that is what this does
			}
		}
		if (!over.isDone()) {
			log.line("the macro did not stop within " + STOP_WAIT.toSeconds() + " s of being aborted (a long ImageJ"
				+ " command?); this worker's next macro waits for it");
		}
		if (interrupted) Thread.currentThread().interrupt();
	}

	/**
	 * The thread this runner's macros run on, made once. ImageJ reads macro options only on threads
	 * named "Run$_..." and loads plugins through the context class loader.
	 */
	private synchronized ExecutorService thread(String worker) {
		if (macroThread == null) {
			macroThread = Executors.newSingleThreadExecutor(r -> {
				Thread t = new Thread(r, "Run$_" + worker);
				t.setDaemon(true);
				t.setContextClassLoader(imagej);
				return t;
			});
		}
		return macroThread;
	}

	@Override
	public synchronized void close() {
		if (macroThread != null) macroThread.shutdownNow();
		macroThread = null;
	}

	/** Runs {@code code}; unless {@code attempt} is null, only while that attempt has not been stopped. */
	private void interpret(Attempt attempt, String code, String argument, TaskLog log) throws Exception {
		Object interp = interpreter.getConstructor().newInstance();
		if (attempt != null) {
			attempt.interpreter = interp;
			// Read after publishing the interpreter: a stop either sees it or is seen here.
			if (attempt.stopped) return;
		}
		try {
			run.invoke(interp, code, argument);
		}
		catch (InvocationTargetException e) {
			// exit() ends a macro by the same exception as an error; only an error sets wasError.
			if (!Boolean.TRUE.equals(wasError.invoke(interp)) && "Macro canceled".equals(e.getCause().getMessage())) return;
			if (!Boolean.TRUE.equals(wasError.invoke(interp))) throw unwrap(e.getCause());
		}
		finally {
			if (attempt != null) attempt.interpreter = null;
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

	private static Exception unwrap(Throwable cause) {
		if (cause instanceof Exception ex) return ex;
		if (cause instanceof Error err) throw err;
		return new IllegalStateException(cause);
	}
}
