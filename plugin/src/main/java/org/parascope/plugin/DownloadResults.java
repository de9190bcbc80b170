package org.parascope.plugin;

import java.io.File;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.parascope.Parascope;
import org.parascope.ParascopeException;
import org.parascope.submit.JobManifest;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins > Parascope > Download Results...: a job's results from DESTINATION_BUCKET into a folder,
 * one subfolder per task. The job is one Submit Open Dataset sent (its id), by default the latest.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Parascope>Download Results...", headless = true)
public final class DownloadResults extends ParascopeCommand {

	@Parameter(label = "Job id (empty: the latest submitted)", required = false, persist = false)
	private String job = "";

	@Parameter(label = "Into folder", style = "directory", required = false, persist = false)
	private File folder;

	@Parameter(type = ItemIO.OUTPUT, label = "Files")
	private int files;

	@Parameter(type = ItemIO.OUTPUT, label = "Folder")
	private File results;

	@Override
	void execute() {
		try (Parascope facade = parascope.open(); Progress progress = progress("Parascope: download results")) {
			List<JobManifest> jobs = JobManifest.all(JobManifest.folder(parascope.home(), facade.app()));
			JobManifest chosen = (job == null || job.isBlank())
				? jobs.stream().max(Comparator.comparing(JobManifest::startedAt))
					.orElseThrow(() -> new ParascopeException("job: no job was submitted from Fiji with these settings"))
				: jobs.stream().filter(m -> m.jobId().equals(job.strip())).findFirst()
					.orElseThrow(() -> new ParascopeException("job: no job " + job + " was submitted from Fiji with these "
						+ "settings (known: " + String.join(", ", jobs.stream().map(JobManifest::jobId).toList()) + ")"));
			String output = DatasetJob.output(Path.of(chosen.jobFile()));
			Path into = folder != null ? folder.toPath() : parascope.home().resolve("results").resolve(chosen.jobId());
			AtomicLong done = new AtomicLong();
			List<String> keys = facade.download(output, into,
				(key, bytes) -> progress.at(done.incrementAndGet(), 0, "Parascope: downloaded " + key));
			files = keys.size();
			results = into.toFile();
			progress.say(files + " result files of job " + chosen.jobId() + " in " + into);
		}
	}
}
