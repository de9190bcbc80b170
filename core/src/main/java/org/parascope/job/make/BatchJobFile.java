package org.parascope.job.make;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.parascope.job.Engine;
import org.parascope.job.JobWriter;

/**
 * A run_batch_general job as a job file in Parascope's format: the tasks' shared keys at the top, and
 * each task's data file with it when each plate has its own LoadData CSV. Read back, each task is the
 * one a Parascope worker makes of the script's message for it (docs/jobs.md).
 */
public final class BatchJobFile {

	private BatchJobFile() {}

	public static Path write(BatchJob job, String name, Path file) {
		JobWriter.Header header = new JobWriter.Header(name, Engine.CELLPROFILER, job.pipeline(), job.output(),
			job.outputStructure(), Map.of(), job.sharedDataFile(), job.input());
		JobWriter writer = JobWriter.open(file, header);
		try {
			boolean own = job.sharedDataFile() == null;
			job.forEach(m -> writer.task(m.metadata(), List.of(), own ? m.dataFile() : null));
		}
		catch (RuntimeException e) {
			writer.abandon();
			throw e;
		}
		writer.close();
		return writer.file();
	}
}
