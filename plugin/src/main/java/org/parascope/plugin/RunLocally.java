package org.parascope.plugin;

import java.io.File;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.parascope.LocalRun;
import org.parascope.Parascope;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins > Parascope > Run Locally...: the job Submit Open Dataset would send, run here by the embedded
 * engine, to try a macro on the real data before paying for a fleet. No AWS account is needed.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Parascope>Run Locally...", headless = true)
public final class RunLocally extends DatasetCommand {

	@Parameter(label = "Workers at once", min = "1")
	int workers = 2;

	@Parameter(label = "Results folder", style = "directory", required = false, persist = false)
	File output;

	@Parameter(type = ItemIO.OUTPUT, label = "Summary")
	String summary;

	@Parameter(type = ItemIO.OUTPUT, label = "Results")
	File results;

	@Parameter(type = ItemIO.OUTPUT, label = "Report")
	File report;

	@Override
	void execute() {
		Prepared prepared = prepare();
		Path folder = parascope.jobFolder(prepared.job()).resolve("local");
		Path into = output != null ? output.toPath() : parascope.home().resolve("results").resolve(prepared.job());
		// The local run reads the script and inputs by key from the job file's folder: link them there.
		Map<String, Path> files = new LinkedHashMap<>(prepared.dataset().objects());
		files.put(prepared.script().getFileName().toString(), prepared.script());
		Parascope.stageLocally(folder, files);
		Path jobFile = DatasetJob.write(folder.resolve("job.json"), prepared.job(), prepared.script().getFileName().toString(),
			"", prepared.parameters(), prepared.groups(), prepared.dataset()::key);

		LocalRun.Result result;
		try (Parascope facade = parascope.open(); Progress progress = progress("Parascope: run " + prepared.job() + " here")) {
			progress.say("running " + DatasetJob.describe(prepared.groups()) + " with " + workers + " workers");
			result = facade.runLocal(jobFile, workers, into, p -> progress.at(p.finished(), p.total(), "Parascope: "
				+ p.finished() + " of " + p.total() + " tasks done" + (p.dead() > 0 ? ", " + p.dead() + " failed" : "")));
			summary = result.progress().succeeded() + " of " + result.progress().total() + " tasks succeeded"
				+ (result.progress().skipped() > 0 ? ", " + result.progress().skipped() + " were done already" : "")
				+ (result.failed().isEmpty() ? "" : ", " + result.failed().size() + " failed") + "; results in " + into
				+ (result.report() == null ? "" : "; report: " + result.report());
			progress.say(summary);
			for (LocalRun.FailedTask failed : result.failed()) {
				progress.say("failed: " + failed.task().label() + ": " + failed.reason() + "\n  " + String.join("\n  ", failed.logTail()));
			}
		}
		results = into.toFile();
		if (result.report() != null) report = new File(result.report());
	}
}
