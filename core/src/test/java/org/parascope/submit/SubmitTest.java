package org.parascope.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.Parascope;
import org.parascope.ParascopeException;
import org.parascope.aws.AwsClients;
import org.parascope.aws.MotoServer;
import org.parascope.aws.queue.SqsTaskQueue;
import org.parascope.aws.TcpProxy;
import org.parascope.aws.TestQueues;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;
import org.parascope.job.Job;
import org.parascope.queue.Delivery;
import org.parascope.queue.TaskQueue;
import org.parascope.submit.JobManifest.State;

/** Submitting through the facade to the emulator's SQS: what is sent, what is recorded, what is refused. */
@ExtendWith(MotoServer.class)
class SubmitTest {

	@TempDir
	Path dir;

	private final Config config = Config.defaults().with(ConfigKey.APP_NAME, "Sub");
	private final Parascope parascope = new Parascope(config, new AwsClients(config, null, MotoServer.env()));

	@AfterEach
	void close() {
		parascope.close();
	}

	private TaskQueue createQueues() {
		TestQueues.create(parascope.aws().sqs(), "SubQueue", "SubDeadMessages", 3, Duration.ofSeconds(60));
		return SqsTaskQueue.open(parascope.aws(), config);
	}

	private Path manifestFile(Path job) {
		return JobManifest.file(JobManifest.folder(dir, "Sub"), Submitter.sha256(job));
	}

	@Test
	void everyTaskArrivesOnceAndTheManifestSaysSo() throws Exception {
		TaskQueue queue = createQueues();
		Path job = JobFiles.dcp(dir.resolve("job.json"), 45, 0);
		Submitter.Result result = parascope.submit(parascope.prepareSubmit(job, dir, false), 4, Submitter.Listener.NONE);
		assertEquals(45, result.sent());

		Set<String> wells = new HashSet<>();
		Set<String> expected = new HashSet<>();
		for (int i = 0; i < 45; i++) expected.add("W" + i);
		for (int i = 0; i < 45; i++) {
			Delivery d = queue.receive(Duration.ofSeconds(5)).orElseThrow();
			assertTrue(wells.add(d.task().metadata().get("Metadata_Well")), "twice: " + d.task().label());
			assertEquals("projects/output/P0-" + d.task().metadata().get("Metadata_Well"), d.task().output());
			queue.delete(d);
		}
		assertEquals(expected, wells);
		assertTrue(queue.receive(Duration.ofSeconds(1)).isEmpty());

		JobManifest m = JobManifest.read(manifestFile(job)).orElseThrow();
		assertEquals(State.COMPLETE, m.state());
		assertEquals(45, m.taskCount());
		assertEquals(45, m.tasksSent());
		assertEquals(0, m.tasksUnconfirmed());
		assertEquals(0, m.tasksPossiblyDuplicated());
		assertEquals("0-44", m.tally().confirmedTasks().toString(), "which tasks: all, by number");
		assertEquals("SubQueue", m.queue());
		assertEquals(job.toAbsolutePath().toString(), m.jobFile());
		assertTrue(m.jobId().startsWith("job-"), m.jobId());
	}

	@Test
	void theSameContentIsRefusedUnlessForced() throws Exception {
		createQueues();
		Path job = JobFiles.dcp(dir.resolve("job.json"), 3, 0);
		parascope.submit(parascope.prepareSubmit(job, dir, false), 2, Submitter.Listener.NONE);

		Path copy = Files.copy(job, dir.resolve("renamed.json"));
		var e = assertThrows(ParascopeException.class, () -> parascope.prepareSubmit(copy, dir, false));
		assertTrue(e.getMessage().contains("the same content") && e.getMessage().contains("all 3 tasks went to queue SubQueue")
			&& e.getMessage().contains("--force"), e.getMessage());
		assertEquals(3, parascope.status(dir).counts().waiting(), "nothing more was sent");

		Submitter.Plan again = parascope.prepareSubmit(copy, dir, true);
		assertTrue(again.previous().isPresent());
		parascope.submit(again, 2, Submitter.Listener.NONE);
		assertEquals(6, parascope.status(dir).counts().waiting());

		Path other = JobFiles.dcp(dir.resolve("other.json"), 4, 0);
		parascope.submit(parascope.prepareSubmit(other, dir, false), 2, Submitter.Listener.NONE);
		assertEquals(2, parascope.status(dir).jobs().size());
	}

	@Test
	void preparingChecksEverythingAndChangesNothing() throws Exception {
		Path bad = Files.writeString(dir.resolve("bad.json"), "{\"pipeline\": \"p.cppipe\", \"data_file\": \"d.csv\", "
			+ "\"input\": \"in\", \"output\": \"out\", \"groups\": [{\"Metadata\": \"Metadata_Plate\"}]}");
		var badJob = assertThrows(ParascopeException.class, () -> parascope.prepareSubmit(bad, dir, false));
		assertTrue(badJob.getMessage().startsWith("bad.json"), badJob.getMessage());

		Path job = JobFiles.dcp(dir.resolve("job.json"), 12, 0);
		var noQueue = assertThrows(ParascopeException.class, () -> parascope.prepareSubmit(job, dir, false));
		assertEquals("queue SubQueue does not exist in us-east-1: run 'parascope setup' first", noQueue.getMessage());

		createQueues();
		Submitter.Plan plan = parascope.prepareSubmit(job, dir, false);
		assertEquals(12, plan.job().taskCount());
		assertEquals("Metadata_Plate=P0, Metadata_Well=W0", plan.firstTask().label());
		assertEquals(0, parascope.status(dir).counts().waiting());
		assertFalse(Files.exists(manifestFile(job)));
	}

	@Test
	void anEndpointThatGoesAwayMidWayLeavesARecordOfWhatWasQueued() throws Exception {
		TaskQueue queue = createQueues();
		Path job = JobFiles.dcp(dir.resolve("job.json"), 1000, 0);
		Map<String, String> env = new HashMap<>(MotoServer.env());
		try (TcpProxy proxy = new TcpProxy(MotoServer.endpoint(), Duration.ZERO)) {
			env.put("AWS_ENDPOINT_URL_SQS", proxy.endpoint().toString());
			try (Parascope viaProxy = new Parascope(config, new AwsClients(config, null, env))) {
				Submitter.Plan plan = viaProxy.prepareSubmit(job, dir, false);
				Thread cut = new Thread(() -> {
					while (queue.counts().waiting() < 100) pause();
					proxy.close();
				});
				cut.start();
				var e = assertThrows(ParascopeException.class, () -> viaProxy.submit(plan, 4, Submitter.Listener.NONE));
				cut.join();
				JobManifest m = JobManifest.read(manifestFile(job)).orElseThrow();
				long queued = queue.counts().waiting();
				assertEquals(State.FAILED, m.state());
				assertTrue(queued >= 100 && queued < 1000, "stopped part-way: " + queued);
				// Requests cut before their answer came may or may not have been stored: the record says how many.
				assertTrue(m.tasksSent() <= queued && queued <= m.tasksSent() + m.tasksUnconfirmed(),
					"queued " + queued + ", recorded " + m.tasksSent() + " + " + m.tasksUnconfirmed() + " unconfirmed");
				assertTrue(m.tasksUnconfirmed() <= 4 * 10, "at most the requests in flight: " + m.tasksUnconfirmed());
				assertTrue(e.getMessage().startsWith("sending stopped after " + m.tasksSent() + " of 1000 tasks: sending tasks "
					+ "to queue SubQueue: "), e.getMessage());
				assertTrue(e.getMessage().contains("Recorded in " + manifestFile(job)), e.getMessage());

				var refused = assertThrows(ParascopeException.class, () -> viaProxy.prepareSubmit(job, dir, false));
				assertTrue(refused.getMessage().contains("stopped (failed) after " + m.tasksSent() + " of 1000 tasks"),
					refused.getMessage());
			}
		}
	}

	@Test
	void statusListsTheJobsSubmittedFromTheFolder() throws Exception {
		createQueues();
		Path job = JobFiles.dcp(dir.resolve("job.json"), 5, 0);
		parascope.submit(parascope.prepareSubmit(job, dir, false), 2, Submitter.Listener.NONE);
		List<JobManifest> jobs = parascope.status(dir).jobs();
		assertEquals(1, jobs.size());
		assertEquals(Job.read(job).taskCount(), jobs.get(0).tasksSent());
		assertEquals(Submitter.sha256(job), jobs.get(0).sha256());
	}

	/** Between polls of the emulator, which the submit keeps busy. */
	private static void pause() {
		try {
			Thread.sleep(20);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}
}
