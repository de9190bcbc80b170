package org.parascope.cellprofiler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.parascope.ParascopeException;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;
import org.parascope.worker.TaskLog;
import org.parascope.worker.TaskProcess;

/**
 * Distributed-CellProfiler's plugin steps, run once when a worker starts, before it takes a task:
 * with USE_PLUGINS, UPDATE_PLUGINS pulls the plugins repository, PLUGINS_COMMIT checks out a
 * commit, branch or tag, and INSTALL_REQUIREMENTS installs the plugins' requirements into
 * CellProfiler's Python. DCP's start script echoes a failed step and carries on; here a failed step
 * stops the worker with git's or pip's own words, so no task runs against the wrong plugins.
 */
final class CellProfilerPlugins {

	/**
	 * How long one step's command may run: a hung fetch must not hold the worker's start forever, but
	 * pip installing plugin requirements such as cellpose with torch downloads gigabytes and builds
	 * wheels, which takes many minutes on a small machine.
	 */
	private static final Duration COMMAND_LIMIT = Duration.ofMinutes(30);

	/** git fails at once rather than waiting for a user name or password no one will type. */
	private static final Map<String, String> GIT_ENVIRONMENT = Map.of("GIT_TERMINAL_PROMPT", "0");

	/** The settings of these steps. */
	record Settings(Path pluginsDirectory, boolean update, String commit, boolean install, String requirements,
		String executable)
	{
		static Settings of(Config config) {
			String commit = config.string(ConfigKey.PLUGINS_COMMIT);
			// DCP's config.py says 'False' for "no commit".
			boolean none = commit == null || commit.isBlank() || commit.equalsIgnoreCase("false");
			return new Settings(Path.of(config.string(ConfigKey.CELLPROFILER_PLUGINS_DIRECTORY)),
				config.bool(ConfigKey.UPDATE_PLUGINS), none ? null : commit.strip(), config.bool(ConfigKey.INSTALL_REQUIREMENTS),
				config.string(ConfigKey.REQUIREMENTS), config.string(ConfigKey.CELLPROFILER_EXECUTABLE));
		}

		boolean anything() {
			return update || commit != null || install;
		}
	}

	private final Settings settings;
	private final Duration limit;
	private final Consumer<String> notes;

	private CellProfilerPlugins(Settings settings, Duration limit, Consumer<String> notes) {
		this.settings = settings;
		this.limit = limit;
		this.notes = notes;
	}

	/** Runs the configured steps; nothing unless USE_PLUGINS and at least one step is on. */
	static void prepare(Config config, Consumer<String> notes) throws InterruptedException {
		prepare(config, COMMAND_LIMIT, notes);
	}

	/** As {@link #prepare(Config, Consumer)}, each command ended after {@code limit}. */
	static void prepare(Config config, Duration limit, Consumer<String> notes) throws InterruptedException {
		if (!config.bool(ConfigKey.USE_PLUGINS)) return;
		Settings settings = Settings.of(config);
		if (settings.anything()) new CellProfilerPlugins(settings, limit, notes).run();
	}

	private void run() throws InterruptedException {
		Path folder = settings.pluginsDirectory().toAbsolutePath();
		if (!Files.isDirectory(folder)) {
			throw new ParascopeException("USE_PLUGINS is on but the CellProfiler plugins folder " + folder
				+ " (CELLPROFILER_PLUGINS_DIRECTORY) does not exist");
		}
		// The folder is the repository's active_plugins/ (its current layout) or the repository itself (older ones).
		Path repository = folder.getFileName().toString().equals("active_plugins") ? folder.getParent() : folder;
		if (settings.update()) {
			notes.accept("updating the CellProfiler plugins in " + repository + " (UPDATE_PLUGINS)");
			git(repository, "UPDATE_PLUGINS", "fetch", "--all", "--tags");
			// A checkout of PLUGINS_COMMIT (this start's or an earlier one's) leaves no branch to pull into.
			if (onBranch(repository)) git(repository, "UPDATE_PLUGINS", "pull", "--ff-only");
		}
		if (settings.commit() != null) {
			if (settings.commit().startsWith("-")) {
				throw new ParascopeException("PLUGINS_COMMIT '" + settings.commit() + "' is not a commit, branch or tag");
			}
			notes.accept("checking out " + settings.commit() + " of the CellProfiler plugins (PLUGINS_COMMIT)");
			git(repository, "PLUGINS_COMMIT", "checkout", "--quiet", settings.commit(), "--");
		}
		if (settings.install()) install(repository);
	}

	private boolean onBranch(Path repository) throws InterruptedException {
		List<String> argv = List.of("git", "symbolic-ref", "--quiet", "HEAD");
		return command(argv, repository, GIT_ENVIRONMENT, "UPDATE_PLUGINS", new TaskLog()).exitCode() == 0;
	}

	/**
	 * The current layout is a package whose extras name the plugins' requirements: REQUIREMENTS holds
	 * pip arguments added to an editable install of it. The older layout kept requirements files:
	 * REQUIREMENTS names one, relative to the repository.
	 */
	private void install(Path repository) throws InterruptedException {
		List<String> argv = new ArrayList<>(List.of(python().toString(), "-m", "pip", "install"));
		String requirements = settings.requirements() == null ? "" : settings.requirements().strip();
		if (Files.isDirectory(repository.resolve("active_plugins"))) {
			argv.addAll(List.of("-e", "."));
			if (!requirements.isEmpty()) argv.addAll(List.of(requirements.split("\\s+")));
		}
		else {
			if (requirements.isEmpty()) {
				throw new ParascopeException("INSTALL_REQUIREMENTS is on but REQUIREMENTS names no requirements file"
					+ " in " + repository + " (a repository without active_plugins/ keeps its requirements in files)");
			}
			argv.addAll(List.of("-r", requirements));
		}
		notes.accept("installing the CellProfiler plugins' requirements (INSTALL_REQUIREMENTS): " + shown(argv));
		run(argv, repository, Map.of(), "INSTALL_REQUIREMENTS");
	}

	/**
	 * CellProfiler's own Python, so that the requirements land where CellProfiler imports from (DCP
	 * runs whichever pip is first on PATH).
	 */
	private Path python() {
		return CellProfilerPython.of(settings.executable()).orElseThrow(() -> new ParascopeException("INSTALL_REQUIREMENTS"
			+ " is on but no Python for CellProfiler's program " + settings.executable() + " (CELLPROFILER_EXECUTABLE)"
			+ " is found to install REQUIREMENTS with"));
	}

	private void git(Path dir, String key, String... args) throws InterruptedException {
		List<String> argv = new ArrayList<>(List.of("git"));
		argv.addAll(List.of(args));
		run(argv, dir, GIT_ENVIRONMENT, key);
	}

	/** Runs a step's command, its output in the notes; a failure names the step's key. */
	private void run(List<String> argv, Path dir, Map<String, String> environment, String key) throws InterruptedException {
		TaskLog log = new TaskLog(line -> notes.accept("  " + line));
		TaskProcess.Ended ended = command(argv, dir, environment, key, log);
		if (ended.exitCode() != 0) {
			throw new ParascopeException(named(key, argv, dir) + " failed with exit code "
				+ ended.exitCode() + (ended.lastLine().isEmpty() ? "" : ": " + ended.lastLine()));
		}
	}

	/** Runs a command within the limit; one that cannot start or does not end is named with its step's key. */
	private TaskProcess.Ended command(List<String> argv, Path dir, Map<String, String> environment, String key, TaskLog log)
		throws InterruptedException
	{
		try {
			return TaskProcess.run(argv, dir, environment, log, limit);
		}
		catch (ParascopeException e) {
			throw new ParascopeException(named(key, argv, dir) + ": " + e.getMessage(), e);
		}
	}

	/** How a failure names the command: its step's key, the command as logged and its folder. */
	private static String named(String key, List<String> argv, Path dir) {
		return key + ": '" + shown(argv) + "' in " + dir;
	}

	/** The command as logged: a password in a URL (pip's --index-url https://user:token@...) is hidden. */
	static String shown(List<String> argv) {
		return String.join(" ", argv).replaceAll("://[^/@\\s]+@", "://***@");
	}
}
