package org.parascope.fiji;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

import org.parascope.ParascopeException;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;
import org.parascope.worker.Runner;
import org.parascope.worker.TaskFailure;
import org.parascope.worker.TaskProcess;
import org.parascope.worker.TaskRun;

/**
 * Runs each task in a new process of an installed Fiji (FIJI_HOME), as Distributed-Fiji does:
 * {@code ImageJ-linux64 --headless --console --mem=HEAP --run SCRIPT 'k="v",...'} in the task's
 * folder, so that the script's relative {@code output/} is the task's. Unlike Distributed-Fiji, a
 * non-zero exit code fails the task. Everything Fiji prints goes to the task's log as it comes.
 */
final class InstalledFijiRunner implements Runner {

	/** Left to the worker's own JVM and the system in a container, MiB. */
	private static final int RESERVED_MIB = 1024;
	private static final int MIN_HEAP_MIB = 256;

	private final Path launcher;
	private final int heapMib;

	InstalledFijiRunner(Path fijiHome, int heapMib) {
		this.launcher = fijiHome.resolve("ImageJ-linux64");
		if (!Files.isExecutable(launcher)) {
			throw new ParascopeException("FIJI_HOME " + fijiHome + ": there is no executable ImageJ-linux64 in it");
		}
		this.heapMib = heapMib;
	}

	/** The installed Fiji the config names, if any. */
	static Optional<Runner> configured(Config config) {
		if (!config.has(ConfigKey.FIJI_HOME) || config.string(ConfigKey.FIJI_HOME).isBlank()) return Optional.empty();
		String home = config.string(ConfigKey.FIJI_HOME);
		return Optional.of(new InstalledFijiRunner(Path.of(home), heapMib(config)));
	}

	/**
	 * Each of the container's DOCKER_CORES workers may run one Fiji at a time: they share the container's
	 * MEMORY, less what the worker's JVM and the system keep.
	 */
	static int heapMib(Config config) {
		int share = (config.integer(ConfigKey.MEMORY) - RESERVED_MIB) / config.integer(ConfigKey.DOCKER_CORES);
		return Math.max(MIN_HEAP_MIB, share);
	}

	@Override
	public void run(TaskRun task) throws Exception {
		List<String> argv = List.of(launcher.toString(), "--headless", "--console", "--mem=" + heapMib + "m",
			"--run", task.script().toAbsolutePath().toString(), arguments(ScriptValues.of(task)));
		task.log().line("running " + String.join(" ", argv));
		// The output streams into the task's log; an interrupt (timeout, stopping worker) ends Fiji and its children.
		int exit = TaskProcess.run(argv, task.workDir(), task.log()).exitCode();
		if (exit != 0) throw new TaskFailure("Fiji exited with code " + exit);
	}

	/**
	 * The argument of {@code --run}: {@code k="v"} pairs that SciJava's parser reads back to the same
	 * strings, whatever quotes, commas or backslashes a value holds.
	 */
	static String arguments(Map<String, String> values) {
		StringJoiner text = new StringJoiner(",");
		values.forEach((k, v) -> text.add(k + "=\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\""));
		return text.toString();
	}
}
