package org.parascope.plugin;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.parascope.Parascope;
import org.parascope.config.ConfigKey;
import org.parascope.store.Upload;
import org.parascope.submit.JobManifest;
import org.parascope.submit.Submitter;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins > Parascope > Submit Open Dataset...: the files behind the open image (or a folder's) go to
 * SOURCE_BUCKET (only those not there yet), the macro to WORKSPACE_BUCKET, and one task per group to the
 * queue, which setup creates or brings up to date first. Outputs the job id.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Parascope>Submit Open Dataset...", headless = true)
public final class SubmitOpenDataset extends DatasetCommand {

	@Parameter(label = "Submit again if this exact job was submitted before", persist = false)
	boolean force;

	@Parameter(type = ItemIO.OUTPUT, label = "Job id")
	String job;

	@Parameter(type = ItemIO.OUTPUT, label = "Tasks")
	long taskCount;

	@Override
	void execute() {
		Prepared prepared = prepare();
		try (Parascope facade = parascope.open(); Progress progress = progress("Parascope: submit " + prepared.job())) {
			String scriptKey = "parascope/jobs/" + prepared.job() + "/" + prepared.script().getFileName();
			String output = "parascope/results/" + prepared.job();
			Path jobFile = DatasetJob.write(parascope.jobFolder(prepared.job()).resolve("job.json"), prepared.job(), scriptKey,
				output, prepared.parameters(), prepared.groups(), prepared.dataset()::key);

			Map<String, Path> files = prepared.dataset().objects();
			AtomicLong sent = new AtomicLong();
			progress.at(0, files.size(), "Parascope: checking " + files.size() + " files in S3");
			Upload.Result uploaded = facade.upload(ConfigKey.SOURCE_BUCKET, files,
				(key, bytes) -> progress.at(sent.incrementAndGet(), files.size(), "Parascope: uploaded " + key));
			progress.say(uploaded.stored() + " files uploaded (" + uploaded.bytes() + " bytes), " + uploaded.unchanged()
				+ " already in " + facade.config().string(ConfigKey.SOURCE_BUCKET));
			facade.upload(ConfigKey.WORKSPACE_BUCKET, Map.of(scriptKey, prepared.script()), (key, bytes) -> {});

			facade.setup().forEach(progress::say);
			Submitter.Plan plan = facade.prepareSubmit(jobFile, parascope.home(), force);
			Submitter.Result result = facade.submit(plan, Submitter.DEFAULT_SENDERS,
				(done, total, elapsed) -> progress.at(done, total, "Parascope: sent " + done + " of " + total + " tasks"));
			job = JobManifest.read(plan.manifest()).map(JobManifest::jobId).orElseThrow();
			taskCount = result.sent();
			progress.say("job " + job + ": " + DatasetJob.describe(prepared.groups()) + " sent to queue "
				+ plan.target().queueName() + "; results will be in " + facade.config().string(ConfigKey.DESTINATION_BUCKET)
				+ "/" + output + ". Next: Start Fleet...");
		}
	}
}
