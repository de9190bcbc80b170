package org.parascope.cellprofiler;

import java.nio.file.Path;
import java.util.function.Consumer;

import org.parascope.config.Config;
import org.parascope.job.Engine;
import org.parascope.job.Task;
import org.parascope.worker.Runner;
import org.parascope.worker.RunnerProvider;

/** CellProfiler tasks, whatever their pipeline (.cppipe, .cpproj or batch .h5). */
public final class CellProfilerRunnerProvider implements RunnerProvider {

	@Override
	public boolean handles(Task task, Path script) {
		return task.engine() == Engine.CELLPROFILER;
	}

	@Override
	public Runner create(Config config) {
		return new CellProfilerRunner(CellProfilerRunner.Settings.of(config));
	}

	@Override
	public void prepare(Config config, Consumer<String> notes) throws InterruptedException {
		CellProfilerPlugins.prepare(config, notes);
	}
}
