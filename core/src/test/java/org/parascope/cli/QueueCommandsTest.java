package org.parascope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.aws.AwsClients;
import org.parascope.aws.MotoServer;
import org.parascope.aws.queue.SqsTaskQueue;
import org.parascope.aws.TestQueues;
import org.parascope.config.Config;
import org.parascope.queue.QueueCounts;
import org.parascope.queue.TaskQueue;
import org.parascope.queue.TaskQueueContract;
import org.parascope.submit.JobFiles;
import org.parascope.store.Sha256;
import org.parascope.submit.JobManifest;
import org.parascope.submit.JobManifest.Tally;
import org.parascope.submit.TaskRanges;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** submit, submitJob, status and retry-failed on the command line, against the emulator. */
@ExtendWith(MotoServer.class)
class QueueCommandsTest {

	@TempDir
	Path dir;

	private Path configFile;
	private AwsClients aws;

	@BeforeEach
	void config() throws Exception {
		configFile = Files.writeString(dir.resolve("config.py"), "APP_NAME = 'Cli'\nSQS_DEAD_LETTER_QUEUE = 'CliDead'\n");
		aws = new AwsClients(Config.defaults(), null, MotoServer.env());
	}

	@AfterEach
	void close() {
		aws.close();
	}

	private TaskQueue queue(int maxReceives) {
		TestQueues.create(aws.sqs(), "CliQueue", "CliDead", maxReceives, Duration.ofSeconds(60));
		return SqsTaskQueue.open(aws.sqs(), "CliQueue", "CliDead", "us-east-1");
	}

	private Outcome run(String... args) {
		List<String> all = new ArrayList<>(List.of("--config", configFile.toString()));
		all.addAll(List.of(args));
		return Outcome.runIn(dir, MotoServer.env(), all.toArray(String[]::new));
	}

	@Test
	void aDryRunShowsWhatWouldBeSentAndSendsNothing() throws Exception {
		TaskQueue q = queue(3);
		// With credentials a dry run also checks the bucket holds what the job names.
		Files.writeString(configFile, "\nAWS_BUCKET = 'cli-bucket'\n", java.nio.file.StandardOpenOption.APPEND);
		aws.s3().createBucket(b -> b.bucket("cli-bucket"));
		for (String key : List.of("projects/analysis.cppipe", "projects/load_data.csv")) {
			aws.s3().putObject(b -> b.bucket("cli-bucket").key(key), software.amazon.awssdk.core.sync.RequestBody.fromString("x"));
		}
		Path job = JobFiles.dcp(dir.resolve("job.json"), 25, 0);
		Outcome o = run("submitJob", job.toString(), "--dry-run");
		assertEquals(Main.OK, o.exit(), o.err());
		assertTrue(o.out().contains("25 tasks, all valid") && o.out().contains("queue CliQueue in us-east-1")
			&& o.out().contains("a task failing 3 times goes to CliDead")
			&& o.out().contains("First task (Metadata_Plate=P0, Metadata_Well=W0)")
			&& o.out().contains("\"output\":\"projects/output/P0-W0\"") && o.out().contains("Nothing was sent"), o.out());
		assertEquals(new QueueCounts(0, 0, 0), q.counts());
	}

	@Test
	void submitWithoutTheQueueSaysToRunSetupAndExitsWithTwo() {
		Path job = JobFiles.dcp(dir.resolve("job.json"), 2, 0);
		Outcome o = run("submit", job.toString(), "--quiet");
		assertEquals(Main.BAD_INPUT, o.exit());
		assertEquals("parascope: queue CliQueue does not exist in us-east-1: run 'parascope setup' first", o.err().strip());
	}

	@Test
	void tooManySendersIsAnInputErrorBeforeAnythingRuns() {
		Path job = JobFiles.dcp(dir.resolve("job.json"), 2, 0);
		Outcome o = run("submit", job.toString(), "--senders", "500");
		assertEquals(Main.BAD_INPUT, o.exit());
		assertEquals("parascope: --senders: expected 1 to 50, got 500", o.err().strip());
	}

	@Test
	void statusGivesTheCountsAsJson() throws Exception {
		TaskQueue q = queue(3);
		q.send(List.of(TaskQueueContract.task(1), TaskQueueContract.task(2), TaskQueueContract.task(3)));
		q.receive(Duration.ofSeconds(5)).orElseThrow();
		Outcome o = run("status", "--json");
		assertEquals(Main.OK, o.exit(), o.err());
		JsonNode status = new JsonMapper().readTree(o.out());
		assertEquals("Cli", status.path("app").asText());
		JsonNode queue = status.path("queue");
		assertEquals("CliQueue", queue.path("name").asText());
		assertEquals("CliDead", queue.path("deadLetterQueue").asText());
		assertEquals(2, queue.path("waiting").asLong());
		assertEquals(1, queue.path("inFlight").asLong());
		assertEquals(0, queue.path("dead").asLong());
		assertEquals(3, queue.path("maxReceives").asInt());
		assertTrue(status.path("jobs").isArray());

		Outcome text = run("status");
		assertTrue(text.out().startsWith("Queue CliQueue (us-east-1): 2 waiting, 1 in flight, 0 dead (in CliDead)"), text.out());
	}

	@Test
	void retryFailedListsTheDeadTasksByMetadataAndMovesThemBack() {
		TaskQueue q = queue(1);
		q.send(List.of(TaskQueueContract.task(1), TaskQueueContract.task(2)));
		for (int i = 0; i < 2; i++) q.release(q.receive(Duration.ofSeconds(5)).orElseThrow(), Duration.ZERO);
		assertTrue(q.receive(Duration.ofSeconds(1)).isEmpty(), "both went to the dead-letter queue");

		Outcome listed = run("retry-failed", "--dry-run");
		assertEquals(Main.OK, listed.exit(), listed.err());
		assertTrue(listed.out().contains("2 failed task(s); --dry-run moved none:") && listed.out().contains("  image=img1")
			&& listed.out().contains("  image=img2"), listed.out());
		assertEquals(2, q.counts().dead());

		Outcome moved = run("retry-failed");
		assertTrue(moved.out().contains("Moved 2 failed task(s) back to queue CliQueue:") && moved.out().contains("  image=img1"),
			moved.out());
		assertEquals(new QueueCounts(2, 0, 0), q.counts());

		assertTrue(run("retry-failed").out().contains("No failed tasks"));
	}

	@Test
	void retryFailedSaysExactlyWhatItMovesTaskOrNot() {
		// As filed: "the dead-letter queue is empty", and then two messages that were no tasks moved back.
		TaskQueue q = queue(1);
		String dead = aws.sqs().getQueueUrl(b -> b.queueName("CliDead")).queueUrl();
		for (String body : List.of("hello", "{\"not\": \"a task\"}")) aws.sqs().sendMessage(b -> b.queueUrl(dead).messageBody(body));

		Outcome listed = run("retry-failed", "--dry-run");
		assertTrue(listed.out().startsWith("0 failed task(s) and 2 message(s) that are not tasks; --dry-run moved none:"),
			listed.out());
		assertEquals(2, listed.out().lines().filter(l -> l.matches("  message \\S+ of CliDead is not a task \\(.*\\): left there"))
			.count(), listed.out());

		Outcome moved = run("retry-failed");
		assertTrue(moved.out().startsWith("Moved 0 failed task(s) and 2 message(s) that are not tasks back to queue CliQueue:"),
			moved.out());
		assertEquals(2, moved.out().lines().filter(l -> l.endsWith("): moved back with the tasks")).count(), moved.out());
		assertEquals(new QueueCounts(2, 0, 0), q.counts());
		assertTrue(run("retry-failed").out().contains("No failed tasks"));
	}

	/**
	 * A submit stopped like Ctrl-C does (SIGTERM: the JVM runs its shutdown hooks either way), in its own
	 * JVM whose working folder holds the manifest: the record matches the queue exactly.
	 */
	@Test
	void anInterruptedSubmitRecordsExactlyWhatWasSent() throws Exception {
		TaskQueue q = queue(3);
		Path job = JobFiles.dcp(dir.resolve("job.json"), 3000, 0);
		ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
			System.getProperty("java.class.path"), Main.class.getName(), "--config", configFile.toString(), "submit",
			job.toString(), "--senders", "2").directory(dir.toFile()).redirectOutput(dir.resolve("out.txt").toFile())
			.redirectError(dir.resolve("err.txt").toFile());
		pb.environment().putAll(MotoServer.env());
		Process submit = pb.start();
		Path folder = JobManifest.folder(dir, "Cli");
		try {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
			while (sent(folder) < 100) {
				assertTrue(submit.isAlive(), "ended early: " + Files.readString(dir.resolve("err.txt")));
				assertTrue(System.nanoTime() < deadline, "no progress recorded");
				Thread.sleep(50);
			}
			submit.destroy();
			assertTrue(submit.waitFor(60, TimeUnit.SECONDS));
		}
		finally {
			submit.destroyForcibly();
		}
		String err = Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8);
		JobManifest m = JobManifest.all(folder).get(0);
		long queued = q.counts().waiting();
		assertEquals(JobManifest.State.INTERRUPTED, m.state(), err);
		assertEquals(queued, m.tasksSent(), "the record counts exactly what the queue holds");
		assertEquals(0, m.tasksUnconfirmed());
		assertTrue(queued >= 100 && queued < 3000, "stopped part-way: " + queued);
		assertTrue(err.contains("sending stopped after " + queued + " of 3000 tasks: the process was stopped"), err);
		assertFalse(Files.readString(dir.resolve("out.txt")).contains("Sent 3000"));
	}

	/**
	 * --resume finishes a failed submit from its record: only the tasks not confirmed are sent, those
	 * that went unanswered are reported as possibly duplicated. It refuses, changing nothing, what it
	 * cannot finish without guessing.
	 */
	@Test
	void submitResumeSendsOnlyWhatWasNotConfirmedAndRefusesWhatItCannotFinish() throws Exception {
		TaskQueue q = queue(3);
		Path job = JobFiles.dcp(dir.resolve("job.json"), 25, 0);
		Path record = JobManifest.file(JobManifest.folder(dir, "Cli"), Sha256.of(job));

		Outcome none = run("submit", job.toString(), "--resume");
		assertEquals(Main.BAD_INPUT, none.exit(), none.err());
		assertTrue(none.err().contains("nothing to resume: no submit of this content is recorded"), none.err());
		Outcome both = run("submit", job.toString(), "--resume", "--force");
		assertEquals(Main.BAD_INPUT, both.exit());
		assertTrue(both.err().contains("--resume and --force: choose one"), both.err());

		Instant minuteAgo = Instant.now().minusSeconds(60);
		String id = "job-" + Sha256.of(job).substring(0, 8);
		JobManifest failed = new JobManifest(id, job.toString(), Sha256.of(job), "CliQueue", "us-east-1", 25,
			Tally.of(TaskRanges.of(0, 9), TaskRanges.of(10, 14), new TaskRanges(), 1), JobManifest.State.FAILED, "timed out",
			minuteAgo, minuteAgo);
		failed.with(failed.tally(), JobManifest.State.SENDING, null).write(record);
		Outcome running = run("submit", job.toString(), "--resume");
		assertEquals(Main.TRY_AGAIN, running.exit(), running.err());
		assertTrue(running.err().contains("another submit of this job may still be running"), running.err());

		new JobManifest(id, job.toString(), Sha256.of(job), "OtherQueue", "us-east-1", 25, failed.tally(),
			JobManifest.State.FAILED, null, minuteAgo, minuteAgo).write(record);
		Outcome other = run("submit", job.toString(), "--resume");
		assertEquals(Main.BAD_INPUT, other.exit(), other.err());
		assertTrue(other.err().contains("is of queue OtherQueue in us-east-1, but the config's queue is CliQueue in us-east-1"),
			other.err());

		Files.writeString(record, """
			{"parascopeJobManifest": 1, "jobId": "%s", "jobFile": "job.json", "sha256": "%s", "queue": "CliQueue",
			 "region": "us-east-1", "taskCount": 25, "tasksSent": 10, "tasksUnconfirmed": 0, "state": "failed",
			 "startedAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z"}""".formatted(id, Sha256.of(job)));
		Outcome old = run("submit", job.toString(), "--resume");
		assertEquals(Main.BAD_INPUT, old.exit(), old.err());
		assertTrue(old.err().contains("written by an older Parascope") && old.err().contains("'submit --force' sends all 25"),
			old.err());
		assertEquals(0, q.counts().waiting(), "nothing was sent by the refusals");

		failed.write(record);
		Outcome resumed = run("submit", job.toString(), "--resume");
		assertEquals(Main.OK, resumed.exit(), resumed.err());
		assertTrue(resumed.out().contains("Sent 15 remaining tasks of"), resumed.out());
		assertTrue(resumed.out().contains("5 task(s) may be queued twice"), resumed.out());
		assertEquals(15, q.counts().waiting(), "tasks 10 to 24");
		JobManifest done = JobManifest.read(record).orElseThrow();
		assertEquals(JobManifest.State.COMPLETE, done.state());
		assertEquals(25, done.tasksSent());
		assertEquals("10-14", done.tally().possiblyDuplicatedTasks().toString());
		assertEquals(minuteAgo, done.startedAt());

		Outcome again = run("submit", job.toString(), "--resume");
		assertEquals(Main.BAD_INPUT, again.exit());
		assertTrue(again.err().contains("nothing to resume: this job (job id " + id + ") is complete"), again.err());
		assertEquals(15, q.counts().waiting());
	}

	private static long sent(Path folder) {
		try {
			List<JobManifest> all = JobManifest.all(folder);
			return all.isEmpty() ? 0 : all.get(0).tasksSent();
		}
		catch (RuntimeException notYetWhole) {
			return 0;
		}
	}
}
