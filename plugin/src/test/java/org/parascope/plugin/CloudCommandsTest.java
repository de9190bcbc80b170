package org.parascope.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import ij.ImagePlus;
import ij.process.ImageStatistics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.Parascope;
import org.parascope.aws.AwsClients;
import org.parascope.aws.ExampleCloud;
import org.parascope.aws.MotoServer;
import org.parascope.aws.ThrottlingProxy;
import org.parascope.config.Config;
import org.parascope.fleet.LocalFleet;
import org.parascope.job.Task;
import org.parascope.job.TaskMessage;
import org.parascope.run.RunKeys;
import org.parascope.run.RunState;
import org.parascope.store.StoredObject;
import org.parascope.aws.store.S3ObjectStore;
import org.parascope.monitor.Monitor;
import org.parascope.monitor.MonitorListener;
import org.parascope.monitor.MonitorOptions;
import org.parascope.worker.WorkerListener;
import org.scijava.module.Module;

import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The Fiji face's AWS lifecycle against the AWS API emulator, every step a command run as a macro would
 * run it: Configure (from a DCP config.py), Submit Open Dataset on an opened image sequence, Start Fleet
 * (which detaches the monitor, as AUTO_MONITOR says), Monitor Job following it until done, Download Results,
 * Clean Up. The emulator's ECS starts no containers, so the
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

			Exception again = assertThrows(Fixtures.Canceled.class, () -> fiji.run(SubmitOpenDataset.class, "image", sequence,
				"script", Fixtures.MACRO.toFile(), "parameters", "label=cloud"));
			assertTrue(again.getMessage().contains("this job (the same content, job id " + job + ")"), again.getMessage());
			assertTrue(fiji.logged.contains("ERROR Parascope: " + again.getMessage()), "the reason is logged: " + fiji.logged);

			// AUTO_MONITOR is True in the example config: Start Fleet hands the run to the detached monitor.
			Module fleet = fiji.run(StartFleet.class, "fleet", ExampleCloud.userFleetFile(aws, tmp).toFile(), "wait", 1);
			assertTrue(((String) fleet.getOutput("fleetId")).startsWith("sfr-"), (String) fleet.getOutput("fleetId"));
			assertEquals("detached", fleet.getOutput("monitor"));
			assertTrue(((String) fleet.getOutput("next")).contains("Fiji may be closed. Monitor Job follows it"),
				(String) fleet.getOutput("next"));
			Path stateFile = home.resolve("files/" + APP + "SpotFleetRequestId.json");
			String remote = RunState.read(stateFile).extra().get(RunKeys.DETACHED_STATE);
			assertTrue(remote.startsWith("s3://" + BUCKET + "/"), remote);

			// The emulator's ECS runs no service's container (docs/fleet.md): what the detached monitor's container runs (the monitor on the
			// state's S3 copy) runs on a thread here, while Monitor Job follows it from the state's readings.
			Module monitored;
			ExecutorService container = Executors.newSingleThreadExecutor();
			try (Parascope facade = fiji.parascope.open(); LocalFleet workers = new LocalFleet(n -> facade.cloudWorker(
				"worker-" + n, WorkerListener.NONE, tmp.resolve("scratch-" + n)))) {
				workers.start(2);
				Future<Monitor.Outcome> detached = container.submit(() -> facade.monitor(remote,
					MonitorOptions.of(facade.config(), Duration.ofSeconds(1), false), MonitorListener.NONE));
				monitored = fiji.run(MonitorJob.class, "interval", 1);
				assertEquals(Monitor.Ending.TORN_DOWN, detached.get(1, TimeUnit.MINUTES).ending());
			}
			finally {
				container.shutdownNow();
			}
			assertTrue(((JobWatch) monitored.getOutput("watch")).notes().stream()
				.anyMatch(n -> n.startsWith("following the detached monitor: ECS service ")), "it follows, it does not monitor");
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

	@Test
	void withNoMonitorStartFleetWarnsOfTheCostAndMonitorJobWatchesTheRunItself() throws Exception {
		try (Fixtures fiji = new Fixtures(tmp.resolve("home"), MotoServer.env());
			AwsClients aws = new AwsClients(Config.defaults(), null, MotoServer.env())) {
			aws.s3().createBucket(b -> b.bucket(BUCKET));
			fiji.run(ConfigureParascope.class, "config", Fixtures.EXAMPLES.resolve("aws/config.py").toFile(), "roles", true);
			File fleetFile = ExampleCloud.userFleetFile(aws, tmp).toFile();

			Module fleet = fiji.run(StartFleet.class, "fleet", fleetFile, "wait", 1, "noMonitor", true);
			assertEquals("none", fleet.getOutput("monitor"));
			assertTrue(((String) fleet.getOutput("next")).startsWith("Monitor Job watches the run from Fiji"),
				(String) fleet.getOutput("next"));
			assertTrue(fiji.logged.stream().anyMatch(l -> l.matches("WARNING Parascope: no monitor watches this run \\(noMonitor\\): its "
				+ "[1-9][0-9]* machine\\(s\\) cost up to \\$[0-9.]+ an hour until a monitor tears the run down .*")), fiji.logged.toString());

			// No task was submitted: Monitor Job's own monitor sees the queue empty and tears the run down.
			JobWatch watch = (JobWatch) fiji.run(MonitorJob.class, "interval", 1).getOutput("watch");
			assertEquals(JobWatch.Phase.DONE, watch.phase(), watch.notes().toString());
			assertTrue(watch.notes().contains("deleted: queue " + APP + "Queue"), "its own teardown: " + watch.notes());
			ExampleCloud.assertNothingLeft(aws);
		}
	}

	/**
	 * ECS refuses the detached monitor's service as AWS does a user whose policy lacks ecs:CreateService
	 * (moto checks no permissions: the refusal is AWS's answer, given by a proxy in front of the emulator).
	 */
	@Test
	void whenTheMonitorCannotBeDetachedStartFleetSaysTheFleetRunsWhatItCostsAndCleanUpLeavesNothing() throws Exception {
		try (ThrottlingProxy proxy = new ThrottlingProxy(MotoServer.endpoint(), ThrottlingProxy.SERVER_ERROR, 0);
			Fixtures fiji = new Fixtures(tmp.resolve("home"), viaProxy(proxy));
			AwsClients aws = new AwsClients(Config.defaults(), null, MotoServer.env())) {
			aws.s3().createBucket(b -> b.bucket(BUCKET));
			fiji.run(ConfigureParascope.class, "config", Fixtures.EXAMPLES.resolve("aws/config.py").toFile(), "roles", true);
			File fleetFile = ExampleCloud.userFleetFile(aws, tmp).toFile();
			// Start Fleet's setup creates the workers' service; the monitor's is refused.
			proxy.failAfter(1, 1, "AmazonEC2ContainerServiceV20141113.CreateService", ACCESS_DENIED);

			Module fleet = fiji.run(StartFleet.class, "fleet", fleetFile, "wait", 1);

			assertTrue(((String) fleet.getOutput("fleetId")).startsWith("sfr-"), (String) fleet.getOutput("fleetId"));
			assertEquals("failed", fleet.getOutput("monitor"));
			assertEquals("Monitor Job watches the run from Fiji (keep Fiji open); Clean Up tears it down now",
				fleet.getOutput("next"));
			String warning = fiji.logged.stream().filter(l -> l.startsWith("WARNING Parascope: the fleet runs, but the monitor "
				+ "could not be started (AUTO_MONITOR): ")).findFirst().orElseThrow(() -> new AssertionError(fiji.logged));
			assertTrue(warning.contains("not authorized to perform: ecs:CreateService"), warning);
			assertTrue(warning.endsWith("; its machines cost up to $0.20 an hour until a monitor tears the run down"), warning);
			assertEquals(List.of(APP + "Service"), ExampleCloud.services(aws, "parascope-nuclei"));
			assertEquals(List.of(), ExampleCloud.services(aws, "default"), "no monitor service");
			assertTrue(!RunState.read(tmp.resolve("home/files/" + APP + "SpotFleetRequestId.json")).extra()
				.containsKey(RunKeys.DETACHED_SERVICE), "the state file names no detached monitor");

			// Clean Up removes the run and what the attempt left (the monitor's task definition).
			fiji.run(CleanUp.class);
			ExampleCloud.assertNothingLeft(aws);
		}
	}

	@Test
	void whenTheDetachedMonitorsServiceIsGoneMonitorJobSaysWhatFijiAndTheCommandLineCanDo() throws Exception {
		try (Fixtures fiji = new Fixtures(tmp.resolve("home"), MotoServer.env());
			AwsClients aws = new AwsClients(Config.defaults(), null, MotoServer.env())) {
			aws.s3().createBucket(b -> b.bucket(BUCKET));
			fiji.run(ConfigureParascope.class, "config", Fixtures.EXAMPLES.resolve("aws/config.py").toFile(), "roles", true);
			Module fleet = fiji.run(StartFleet.class, "fleet", ExampleCloud.userFleetFile(aws, tmp).toFile(), "wait", 1);
			assertEquals("detached", fleet.getOutput("monitor"));
			// Someone deletes the monitor's service (a container that dies is replaced: DetachedMonitorServiceTest).
			String service = ExampleCloud.services(aws, "default").get(0);
			aws.ecs().deleteService(b -> b.cluster("default").service(service).force(true));

			JobWatch watch = (JobWatch) fiji.run(MonitorJob.class, "interval", 1).getOutput("watch");

			assertEquals(JobWatch.Phase.STOPPED, watch.phase(), watch.notes().toString());
			List<String> notes = watch.notes();
			assertTrue(notes.get(notes.size() - 2).startsWith("the detached monitor's ECS service " + service + " is gone, "
				+ "and the run is not torn down: 'parascope monitor --detach' starts another"), notes.toString());
			assertEquals("in Fiji, Clean Up tears the run down now; Monitor Job only follows this run, so to have it "
				+ "watched again run 'parascope monitor --detach'", notes.get(notes.size() - 1));

			fiji.run(CleanUp.class);
			ExampleCloud.assertNothingLeft(aws);
		}
	}

	/** ECS's answer, in its JSON protocol, to a user whose policy does not allow the call. */
	private static final ThrottlingProxy.Throttle ACCESS_DENIED = new ThrottlingProxy.Throttle(400,
		Map.of("Content-Type", "application/x-amz-json-1.1"), "{\"__type\":\"AccessDeniedException\",\"message\":\"User: "
			+ "arn:aws:iam::123456789012:user/alice is not authorized to perform: ecs:CreateService on resource: "
			+ "arn:aws:ecs:us-east-1:123456789012:service/default/" + APP + "Monitor because no identity-based policy "
			+ "allows the ecs:CreateService action\"}");

	private static Map<String, String> viaProxy(ThrottlingProxy proxy) {
		Map<String, String> env = new java.util.HashMap<>(MotoServer.env());
		env.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());
		return env;
	}

	/** The queued tasks, left in the queue (received with no visibility timeout). */
	private static List<Task> peek(AwsClients aws) {
		String url = aws.sqs().getQueueUrl(b -> b.queueName(APP + "Queue")).queueUrl();
		List<Message> messages = aws.sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(0))
			.messages();
		return messages.stream().map(m -> TaskMessage.decode(m.body())).toList();
	}
}
