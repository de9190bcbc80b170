package org.parascope.cellprofiler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.parascope.ParascopeException;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;
import org.parascope.job.Task;
import org.parascope.store.KeyRule;
import org.parascope.store.ObjectStore;
import org.parascope.worker.Runner;
import org.parascope.worker.TaskLog;
import org.parascope.worker.TaskFailure;
import org.parascope.worker.TaskProcess;
import org.parascope.worker.TaskRun;

/**
 * Runs a task's pipeline with the {@code cellprofiler} program, one process per task (docs/compatibility.md §6).
 * A task succeeded when CellProfiler exits with 0 and its done file reads {@code Complete}; what it
 * prints goes into the task's log as it runs.
 */
final class CellProfilerRunner implements Runner {

	/**
	 * The done file's name, Distributed-CellProfiler's. It is kept out of the output folder: DCP does not
	 * store it with the results (its upload excludes it), so DCP users' EXPECTED_NUMBER_FILES do not count it.
	 */
	static final String DONE_FILE = "cp.is.done";

	/**
	 * @param pluginsDirectory null unless USE_PLUGINS
	 * @param download         DOWNLOAD_FILES: fetch the data file's images instead of reading the mounted bucket
	 * @param warm             how tasks run: one warm CellProfiler, or a process each
	 */
	record Settings(String executable, Path pluginsDirectory, boolean alwaysContinue, boolean download, Warm warm) {
		static Settings of(Config config) {
			return new Settings(config.string(ConfigKey.CELLPROFILER_EXECUTABLE),
				config.bool(ConfigKey.USE_PLUGINS) ? Path.of(config.string(ConfigKey.CELLPROFILER_PLUGINS_DIRECTORY)) : null,
				config.bool(ConfigKey.ALWAYS_CONTINUE), config.bool(ConfigKey.DOWNLOAD_FILES), Warm.of(config));
		}
	}

	/**
	 * CELLPROFILER_WARM and its limits: a warm CellProfiler is replaced after {@code maxTasks} tasks or once
	 * its resident memory passes {@code maxMemoryMiB} (0: no limit), so that a slow leak in a module or in
	 * the JVM cannot grow without end.
	 */
	record Warm(boolean enabled, int maxTasks, long maxMemoryMiB) {
		static final Warm OFF = new Warm(false, 0, 0);

		static Warm of(Config config) {
			return new Warm(config.bool(ConfigKey.CELLPROFILER_WARM), config.integer(ConfigKey.CELLPROFILER_WARM_TASKS),
				config.integer(ConfigKey.CELLPROFILER_WARM_MEMORY));
		}
	}

	private final Settings settings;
	/** This worker's warm CellProfiler; null until the first task, and after it died or retired. */
	private WarmCellProfiler warm;
	/** The warm CellProfiler cannot run here (not a Python launcher, or it failed to start): a process per task. */
	private boolean warmUnavailable;

	CellProfilerRunner(Settings settings) {
		this.settings = settings;
	}

	@Override
	public void fetchInputs(TaskRun run, ObjectStore source) throws IOException, InterruptedException {
		Task task = run.task();
		if (!settings.download() || task.dataFile() == null) return;
		Path dataFile = run.inputDir().resolve(task.dataFile());
		ImageDownload download = new ImageDownload(source, run.inputDir(), run.log());
		switch (DataFileKind.of(task.dataFile())) {
			case LOAD_DATA -> download.loadData(dataFile, task.dataFile(), groupRows(run, dataFile));
			case FILE_LIST -> download.fileList(dataFile, task.dataFile());
			case BATCH -> throw new ParascopeException("data_file " + task.dataFile() + ": DOWNLOAD_FILES cannot fetch"
				+ " the images of a batch file, whose paths are inside it; run it with DOWNLOAD_FILES off (bucket mounted)");
		}
	}

	/**
	 * The CSV rows CellProfiler runs for the task's group ({@link GroupRows}): asked of the warm CellProfiler
	 * when this worker has one, so that DOWNLOAD_FILES starts no CellProfiler per task either.
	 */
	private Set<Integer> groupRows(TaskRun run, Path dataFile) throws IOException, InterruptedException {
		Task task = run.task();
		String group = CellProfilerCommand.groups(task.metadata());
		WarmCellProfiler cellprofiler = settings.warm().enabled() ? warm(run.log()) : null;
		if (cellprofiler != null) {
			try {
				return GroupRows.rows(cellprofiler.rows(run.script(), dataFile, group, settings.pluginsDirectory(), run.log()),
					task.dataFile(), group);
			}
			catch (WarmCellProfiler.Died e) {
				warm = null;
				run.log().line("the warm CellProfiler (process " + cellprofiler.pid() + ") died picking the task's rows: "
					+ e.getMessage() + "; asking a fresh CellProfiler");
			}
			catch (InterruptedException e) {
				warm = null;
				throw e;
			}
		}
		return new GroupRows(settings.executable(), settings.pluginsDirectory()).of(run.script(), dataFile, task.dataFile(),
			task.metadata(), run.workDir().resolve("group-rows"));
	}

	@Override
	public void run(TaskRun run) throws Exception {
		if (settings.pluginsDirectory() != null && !Files.isDirectory(settings.pluginsDirectory())) {
			throw new ParascopeException("USE_PLUGINS is on but the CellProfiler plugins folder "
				+ settings.pluginsDirectory() + " (CELLPROFILER_PLUGINS_DIRECTORY) does not exist");
		}
		CellProfilerCommand command = command(run);
		run.log().line("running " + command.display());
		TaskProcess.Ended ended = settings.warm().enabled() ? runWarm(command, run) : runFresh(command, run);
		String said = ended.lastLine().isEmpty() ? "" : "; its last words: " + ended.lastLine();
		if (ended.exitCode() != 0) throw new TaskFailure("CellProfiler exited with code " + ended.exitCode() + said);
		Path done = command.doneFile();
		String status = Files.exists(done) ? Files.readString(done, StandardCharsets.UTF_8).strip() : null;
		if (!"Complete".equals(status)) {
			throw new TaskFailure("CellProfiler exited with code 0 but its done file "
				+ (status == null ? "is missing" : "reads '" + status + "'") + ", not 'Complete'" + said);
		}
	}

	private static TaskProcess.Ended runFresh(CellProfilerCommand command, TaskRun run) throws InterruptedException {
		return TaskProcess.run(command.argv(), run.workDir(), run.log());
	}

	/**
	 * The task in this worker's warm CellProfiler, started on first use. A task it cannot run to the end
	 * (it died, or could not start) runs in a fresh process instead, from an empty output folder.
	 */
	private TaskProcess.Ended runWarm(CellProfilerCommand command, TaskRun run) throws Exception {
		WarmCellProfiler cellprofiler = warm(run.log());
		if (cellprofiler == null) return runFresh(command, run);
		List<String> argv = command.argv();
		run.log().line("in the warm CellProfiler (process " + cellprofiler.pid() + "), its task " + (cellprofiler.tasks() + 1));
		try {
			int code = cellprofiler.run(argv.subList(1, argv.size()), run.workDir(), run.log());
			TaskProcess.Ended ended = new TaskProcess.Ended(code, cellprofiler.lastLine());
			retireIfSpent(cellprofiler, run.log());
			return ended;
		}
		catch (WarmCellProfiler.Died e) {
			warm = null;
			run.log().line("the warm CellProfiler (process " + cellprofiler.pid() + ") died during the task: " + e.getMessage()
				+ "; running the task again in a fresh process");
			emptyFolder(run.outputDir());
			return runFresh(command, run);
		}
		catch (InterruptedException e) {
			warm = null; // ended with its children by run()
			throw e;
		}
	}

	/** The warm CellProfiler, started if there is none; null when this worker cannot have one. */
	private WarmCellProfiler warm(TaskLog log) throws InterruptedException {
		if (warm != null || warmUnavailable) return warm;
		Optional<Path> python = CellProfilerPython.launcher(settings.executable());
		if (python.isEmpty()) {
			warmUnavailable = true;
			log.line(settings.executable() + " (CELLPROFILER_EXECUTABLE) is not a Python launcher of CellProfiler,"
				+ " so this worker runs a process per task (CELLPROFILER_WARM needs CellProfiler's Python)");
			return null;
		}
		try {
			warm = WarmCellProfiler.start(python.get(), WarmScript.path(), log::line);
			log.line("started a warm CellProfiler (process " + warm.pid() + ") in " + python.get()
				+ "; it runs this worker's CellProfiler tasks (CELLPROFILER_WARM)");
			return warm;
		}
		catch (WarmCellProfiler.Died e) {
			warmUnavailable = true;
			log.line("a warm CellProfiler could not start in " + python.get() + ": " + e.getMessage()
				+ "; this worker runs a process per task");
			return null;
		}
	}

	/** Replaces a warm CellProfiler that reached its task limit or memory ceiling (CELLPROFILER_WARM_*). */
	private void retireIfSpent(WarmCellProfiler cellprofiler, TaskLog log) {
		Warm limits = settings.warm();
		String why = null;
		if (limits.maxTasks() > 0 && cellprofiler.tasks() >= limits.maxTasks()) {
			why = "it has run " + cellprofiler.tasks() + " tasks (CELLPROFILER_WARM_TASKS)";
		}
		else if (limits.maxMemoryMiB() > 0) {
			long mib = cellprofiler.residentBytes().orElse(0) >> 20;
			if (mib > limits.maxMemoryMiB()) {
				why = "it holds " + mib + " MiB, more than " + limits.maxMemoryMiB() + " MiB (CELLPROFILER_WARM_MEMORY)";
			}
		}
		if (why == null) return;
		log.line("the warm CellProfiler (process " + cellprofiler.pid() + ") is replaced before the next task: " + why);
		cellprofiler.close();
		warm = null;
	}

	private static void emptyFolder(Path folder) throws IOException {
		try (Stream<Path> paths = Files.walk(folder)) {
			for (Path p : paths.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(folder)).toList()) {
				Files.delete(p);
			}
		}
	}

	@Override
	public void close() {
		if (warm != null) warm.close();
		warm = null;
	}

	CellProfilerCommand command(TaskRun run) throws IOException {
		Task task = run.task();
		return new CellProfilerCommand(settings.executable(), run.script(), inputFolder(run), run.outputDir(),
			run.workDir().resolve(DONE_FILE), task.dataFile() == null ? null : run.inputDir().resolve(task.dataFile()),
			task.metadata(), settings.pluginsDirectory(), settings.alwaysContinue());
	}

	/** The job's input folder: below the fetched files when downloading, else below the mounted bucket. */
	private Path inputFolder(TaskRun run) throws IOException {
		String input = run.task().inputFolder();
		if (input == null) return null;
		// DCP job files may write it with a leading '/': it is below the bucket all the same.
		String relative = input.replaceFirst("^/+", "");
		if (relative.isEmpty()) return settings.download() ? run.inputDir() : Path.of(ImageDownload.MOUNT);
		Path root = settings.download() ? run.inputDir() : Path.of(ImageDownload.MOUNT);
		Path folder = KeyRule.resolve(root, relative, "input folder");
		return settings.download() ? Files.createDirectories(folder) : folder;
	}
}
