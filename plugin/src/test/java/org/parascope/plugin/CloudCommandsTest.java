package org.parascope.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import ij.ImagePlus;
import ij.process.ImageStatistics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.Parascope;
import org.parascope.aws.AwsClients;
import org.parascope.aws.ExampleCloud;
import org.parascope.aws.MotoServer;
import org.parascope.config.Config;
import org.parascope.fleet.LocalFleet;
import org.parascope.job.Task;
import org.parascope.job.TaskMessage;
import org.parascope.store.StoredObject;
import org.parascope.aws.S3ObjectStore;
import org.parascope.worker.WorkerListener;
import org.scijava.module.Module;

import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The Fiji face's AWS lifecycle against the AWS API emulator, every step a command run as a macro would
 * run it: Configure (from a DCP config.py), Submit Open Dataset on an opened image sequence, Start Fleet,
 * Monitor Job until done, Download Results, Clean Up. The emulator's ECS starts no containers, so the
 * machines' workers are the local fleet's threads running the real worker loop and real ImageJ.
 */
@ExtendWith(MotoServer.class)
class CloudCommandsTest {

	static final String BUCKET = "your-bucket-name"; // as the example config.py says
	static final String APP = "ParascopeNuclei";

	@TempDir
	Path tmp;

	@Test
	void submitTheOpenSequenceStartAFleetMonitorDownloadAndCleanUp() throws Exception {
		ImagePlus sequence = Fixtures.sequence(tmp.resolve("plate1"), 4);
		Path home = tmp.resolve("home");
		try (Fixtures fiji = new Fixtures(home, MotoServer.env());
			AwsClients aws = new AwsClients(Config.defaults(), null, MotoServer.env())) {
			aws.s3().createBucket(b -> b.bucket(BUCKET));
			Module configured = fiji.run(ConfigureParascope.class, "config", Fixtures.EXAMPLES.resolve("aws/config.py").toFile(),
				"roles", true, "check", true);
			String report = (String) configured.getOutput("report");
			assertTrue(report.contains("ok: bucket your-bucket-name: reachable") && !report.contains("MISSING"), report);

			Module submitted = fiji.run(SubmitOpenDataset.class, "image", sequence, "script", Fixtures.MACRO.toFile(),
				"parameters", "label=cloud");
			String job = (String) submitted.getOutput("job");
			assertTrue(job.startsWith("plate1-mean_intensity-"), job);
			assertEquals(4L, submitted.getOutput("taskCount"));

			// The bucket holds the four images and the macro; the queue one task per image, naming its image.
			S3ObjectStore bucket = S3ObjectStore.of(aws, BUCKET);
			List<String> keys = bucket.list("parascope/").map(StoredObject::key).sorted().toList();
			assertEquals(5, keys.size(), keys.toString());
			assertEquals("parascope/jobs/plate1-mean_intensity/mean_intensity.ijm", keys.get(4));
			for (int i = 0; i < 4; i++) assertTrue(keys.get(i).matches("parascope/datasets/plate1-[0-9a-f]+/cells_0" + (i + 1) + "\\.png"), keys.get(i));
			List<Task> queued = peek(aws);
			assertEquals(List.of("cells_01", "cells_02", "cells_03", "cells_04"),
				queued.stream().map(t -> t.metadata().get("image")).sorted().toList());
			Task first = queued.stream().filter(t -> t.metadata().get("image").equals("cells_01")).findFirst().orElseThrow();
			assertEquals(List.of(keys.get(0)), first.inputs());
			assertEquals(keys.get(0), first.metadata().get("files"));
			assertEquals(Map.of("label", "cloud"), first.parameters());
			assertEquals("parascope/results/plate1-mean_intensity/cells_01", first.output());

			Exception again = assertThrows(Exception.class, () -> fiji.run(SubmitOpenDataset.class, "image", sequence,
				"script", Fixtures.MACRO.toFile(), "parameters", "label=cloud"));
			assertTrue(again.getMessage().contains("this job (the same content, job id " + job + ")"), again.getMessage());

			Module fleet = fiji.run(StartFleet.class, "fleet", ExampleCloud.userFleetFile(aws, tmp).toFile(), "wait", 1);
			assertTrue(((String) fleet.getOutput("fleetId")).startsWith("sfr-"), (String) fleet.getOutput("fleetId"));

			Module monitored;
			try (Parascope facade = fiji.parascope.open(); LocalFleet workers = new LocalFleet(n -> facade.cloudWorker(
				"worker-" + n, WorkerListener.NONE, tmp.resolve("scratch-" + n)))) {
				workers.start(2);
				monitored = fiji.run(MonitorJob.class, "interval", 1);
			}
			JobWatch watch = (JobWatch) monitored.getOutput("watch");
			assertEquals(JobWatch.Phase.DONE, watch.phase(), watch.notes().toString());
			assertEquals("4 of 4 done, 0 failed, 0 running, 0 waiting", watch.counts());

			Module downloaded = fiji.run(DownloadResults.class, "job", job, "folder", tmp.resolve("results").toFile());
			assertEquals(4, downloaded.getOutput("files"));
			for (int slice = 1; slice <= 4; slice++) {
				String image = String.format("cells_%02d", slice);
				sequence.setSlice(slice);
				double mean = ImageStatistics.getStatistics(sequence.getProcessor()).mean;
				assertEquals(List.of("file,label,mean", image + ".png,cloud," + String.format("%.3f", mean)),
					Files.readAllLines(((File) downloaded.getOutput("results")).toPath().resolve(image + "/" + image + ".csv")));
			}

			Module cleaned = fiji.run(CleanUp.class);
			assertTrue(((String) cleaned.getOutput("report")).contains("queue"), (String) cleaned.getOutput("report"));
			ExampleCloud.assertNothingLeft(aws);
		}
	}

	/** The queued tasks, left in the queue (received with no visibility timeout). */
	private static List<Task> peek(AwsClients aws) {
		String url = aws.sqs().getQueueUrl(b -> b.queueName(APP + "Queue")).queueUrl();
		List<Message> messages = aws.sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(0))
			.messages();
		return messages.stream().map(m -> TaskMessage.decode(m.body())).toList();
	}


}
