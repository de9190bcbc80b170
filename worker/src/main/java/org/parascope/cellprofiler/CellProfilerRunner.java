package org.parascope.cellprofiler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.parascope.ParascopeException;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;
import org.parascope.job.Task;
import org.parascope.store.KeyRule;
import org.parascope.store.ObjectStore;
import org.parascope.worker.Runner;
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
	 */
	record Settings(String executable, Path pluginsDirectory, boolean alwaysContinue, boolean download) {
		static Settings of(Config config) {
			return new Settings(config.string(ConfigKey.CELLPROFILER_EXECUTABLE),
				config.bool(ConfigKey.USE_PLUGINS) ? Path.of(config.string(ConfigKey.CELLPROFILER_PLUGINS_DIRECTORY)) : null,
				config.bool(ConfigKey.ALWAYS_CONTINUE), config.bool(ConfigKey.DOWNLOAD_FILES));
		}
	}

	private final Settings settings;

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
			case LOAD_DATA -> download.loadData(dataFile, task.dataFile(), new GroupRows(settings.executable(),
				settings.pluginsDirectory()).of(run.script(), dataFile, task.dataFile(), task.metadata(),
				run.workDir().resolve("group-rows")));
			case FILE_LIST -> download.fileList(dataFile, task.dataFile());
			case BATCH -> throw new ParascopeException("data_file " + task.dataFile() + ": DOWNLOAD_FILES cannot fetch"
				+ " the images of a batch file, whose paths are inside it; run it with DOWNLOAD_FILES off (bucket mounted)");
		}
	}

	@Override
	public void run(TaskRun run) throws Exception {
		if (settings.pluginsDirectory() != null && !Files.isDirectory(settings.pluginsDirectory())) {
			throw new ParascopeException("USE_PLUGINS is on but the CellProfiler plugins folder "
				+ settings.pluginsDirectory() + " (CELLPROFILER_PLUGINS_DIRECTORY) does not exist");
		}
		CellProfilerCommand command = command(run);
		run.log().line("running " + command.display());
		TaskProcess.Ended ended = TaskProcess.run(command.argv(), run.workDir(), run.log());
		String said = ended.lastLine().isEmpty() ? "" : "; its last words: " + ended.lastLine();
		if (ended.exitCode() != 0) throw new TaskFailure("CellProfiler exited with code " + ended.exitCode() + said);
		Path done = command.doneFile();
		String status = Files.exists(done) ? Files.readString(done, StandardCharsets.UTF_8).strip() : null;
		if (!"Complete".equals(status)) {
			throw new TaskFailure("CellProfiler exited with code 0 but its done file "
				+ (status == null ? "is missing" : "reads '" + status + "'") + ", not 'Complete'" + said);
		}
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
