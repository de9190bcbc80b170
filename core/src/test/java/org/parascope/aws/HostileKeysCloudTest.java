package org.parascope.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.aws.queue.SqsTaskQueue;
import org.parascope.aws.store.S3ObjectStore;
import org.parascope.cli.Outcome;
import org.parascope.config.Config;
import org.parascope.job.Engine;
import org.parascope.job.Task;
import org.parascope.queue.Delivery;
import org.parascope.queue.QueueCounts;
import org.parascope.queue.TaskQueue;
import org.parascope.security.HostileKeys;
import org.parascope.store.KeyRule;
import org.parascope.worker.DoneCheck;
import org.parascope.worker.Runners;
import org.parascope.worker.Stores;
import org.parascope.worker.Worker;
import org.parascope.worker.WorkerListener;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Generated hostile keys (the jqwik properties' generator, sampled here because the emulator is a JUnit
 * extension, which jqwik properties cannot use) against submit and the cloud worker on the AWS emulator: nothing
 * is sent, no file lands outside the worker's scratch folder, no object outside the task's output prefix.
 */
@ExtendWith(MotoServer.class)
class HostileKeysCloudTest {

	private static final JsonMapper JSON = new JsonMapper();
	/** Each worker try costs the emulator a few requests: a few keys per run, new ones every run. */
	private static final List<String> KEYS = HostileKeys.sample(15);

	@TempDir
	Path dir;

	private AwsClients aws;

	@BeforeEach
	void buckets() {
		aws = new AwsClients(Config.defaults(), null, MotoServer.env());
		for (String bucket : List.of("hostile-src", "hostile-ws", "hostile-dst")) aws.s3().createBucket(b -> b.bucket(bucket));
	}

	@AfterEach
	void close() {
		aws.close();
	}

	@Test
	void submitRefusesEveryHostileJobBeforeSendingAnything() throws Exception {
		TestQueues.create(aws.sqs(), "HostileQueue", "HostileDead", 3, Duration.ofSeconds(60));
		Path config = Files.writeString(dir.resolve("config.py"), "APP_NAME = 'Hostile'\n"
			+ "SQS_DEAD_LETTER_QUEUE = 'HostileDead'\nAWS_BUCKET = 'hostile-src'\n");
		// One task per hostile key, as its input and its metadata, among good tasks.
		ObjectNode job = JSON.createObjectNode().put("parascope_job", 1).put("engine", "fiji").put("script", "m.ijm")
			.put("output", "out").put("output_structure", "well");
		var tasks = job.putArray("tasks");
		int hostile = 0;
		int firstHostile = -1;
		for (String key : HostileKeys.sample(100)) {
			tasks.addObject().putObject("metadata").put("well", "good" + tasks.size());
			if (KeyRule.fileProblem(key) == null && KeyRule.problem("out/" + key.replaceFirst("^/+", "")) == null) continue;
			if (firstHostile < 0) firstHostile = tasks.size();
			ObjectNode task = tasks.addObject();
			task.putObject("metadata").put("well", key);
			task.putArray("inputs").add(key);
			hostile++;
		}
		assertTrue(hostile >= 30, "the generator made only " + hostile + " hostile keys of 100");
		Path file = dir.resolve("job.json");
		JSON.writeValue(file.toFile(), job);
		for (String[] args : List.of(new String[] { "submit", file.toString(), "--dry-run" },
			new String[] { "submit", file.toString() }))
		{
			Outcome o = Outcome.withConfig(dir, MotoServer.env(), config, args);
			assertNotEquals(0, o.exit(), String.join(" ", args) + " accepted the job");
			// The errors come in the job's order: the first names the first hostile task, wherever the sample put it.
			assertTrue(o.err().contains("job.json: tasks[" + firstHostile + "]."), o.err());
		}
		QueueCounts counts = SqsTaskQueue.open(aws.sqs(), "HostileQueue", "HostileDead", "us-east-1").counts();
		assertEquals(0, counts.waiting() + counts.inFlight(), "tasks were sent");
	}

	/**
	 * A task body with hostile keys written to the queue by anyone who may: the cloud worker's queue refuses
	 * it as no task, and runs nothing.
	 */
	@Test
	void theCloudWorkerRunsNoHostileMessage() throws Exception {
		TestQueues.create(aws.sqs(), "HostileQueue", "HostileDead", 1, Duration.ofSeconds(60));
		String url = aws.sqs().getQueueUrl(b -> b.queueName("HostileQueue")).queueUrl();
		Path sandbox = Files.createDirectories(dir.resolve("sandbox"));
		Path scratch = HostileKeys.deepBelow(sandbox);
		int sent = 0;
		for (String key : KEYS) {
			if (KeyRule.fileProblem(key) == null) continue;
			ObjectNode body = JSON.createObjectNode().put("parascope_task", 1).put("id", "0").put("engine", "fiji")
				.put("script", "m.ijm").put("data_file", (String) null).put("input", (String) null).put("output", "out/x");
			body.putObject("metadata").put("w", "A");
			body.putObject("parameters");
			body.putArray("inputs").add(key);
			aws.sqs().sendMessage(b -> b.queueUrl(url).messageBody(body.toString()));
			sent++;
		}
		List<String> notes = new ArrayList<>();
		List<Task> ran = new ArrayList<>();
		WorkerListener listener = new WorkerListener() {
			@Override
			public void started(Task task, int attempt) {
				ran.add(task);
			}

			@Override
			public void note(String message) {
				notes.add(message);
			}
		};
		TaskQueue queue = SqsTaskQueue.open(aws.sqs(), "HostileQueue", "HostileDead", "us-east-1").reportingTo(listener::note);
		Worker worker = new Worker("w", new Runners(List.of(new HostileKeys.WritingEngine()), Config.defaults()),
			new Worker.Setup(queue, stores(), DoneCheck.of(Config.defaults()), listener, scratch, Duration.ZERO));
		for (int i = 0; i < sent * 2 && notes.size() < sent; i++) worker.runOnce(Duration.ZERO);

		assertEquals(List.of(), ran);
		assertEquals(sent, notes.stream().filter(n -> n.contains("is not a task")).count(), notes::toString);
		assertEquals(Set.of(), HostileKeys.files(sandbox));
		assertEquals(List.of(), keys("hostile-dst"));
	}

	/**
	 * Defence in depth: a hostile task that reached the worker all the same (a decoder bug, a future body
	 * format), with objects at those keys in S3, which stores '..' literally. The worker fetches nothing
	 * outside its task folder and stores nothing outside the task's output prefix.
	 */
	@Test
	void aWorkerHandedAHostileTaskWritesOnlyInsideItsPlaces() throws Exception {
		aws.s3().putObject(b -> b.bucket("hostile-ws").key("m.ijm"), software.amazon.awssdk.core.sync.RequestBody.fromString("//"));
		Path sandbox = Files.createDirectories(dir.resolve("sandbox"));
		Path scratch = HostileKeys.deepBelow(sandbox);
		List<String> failures = new ArrayList<>();
		Stores stores = stores();
		int ran = 0;
		for (String key : KEYS) {
			boolean stored = put("hostile-src", key) & put("hostile-ws", key);
			Task asInput = task(List.of(key), null, "out/t");
			Task asDataFile = task(List.of(), key, "out/t");
			Task asOutput = task(List.of(), null, "out/" + key);
			for (Task task : List.of(asInput, asDataFile, asOutput)) {
				OneTask queue = new OneTask(task);
				WorkerListener listener = new WorkerListener() {
					@Override
					public void failed(Task t, int attempt, int maxAttempts, String reason, org.parascope.worker.TaskLog log) {
						failures.add(reason);
					}
				};
				Worker worker = new Worker("w", new Runners(List.of(new HostileKeys.WritingEngine()), Config.defaults()),
					new Worker.Setup(queue, stores, DoneCheck.of(Config.defaults()), listener, scratch, Duration.ZERO));
				worker.runOnce(Duration.ZERO);
				ran++;
				assertEquals(Set.of(), HostileKeys.files(sandbox), "a file stayed behind for key " + key + " (stored in S3: "
					+ stored + ")");
			}
		}
		for (String stored : keys("hostile-dst")) {
			assertEquals(null, KeyRule.problem(stored), stored);
			assertTrue(stored.startsWith("out/") && stored.endsWith("/result.txt"), stored);
		}
		assertTrue(failures.size() > ran / 3, "only " + failures.size() + " of " + ran + " hostile tries were refused");
	}

	private boolean put(String bucket, String key) {
		// Keys with control characters are not stored: the emulator answers them with errors the SDK retries.
		if (!KeyRule.printable(key).equals(key) || key.length() > KeyRule.MAX_BYTES) return false;
		try {
			aws.s3().putObject(b -> b.bucket(bucket).key(key), software.amazon.awssdk.core.sync.RequestBody.fromString(key));
			return true;
		}
		catch (RuntimeException e) {
			return false; // some keys S3 (or the emulator) refuses itself: the worker must refuse them all the same
		}
	}

	private static Task task(List<String> inputs, String dataFile, String output) {
		return new Task("0", Engine.FIJI, "m.ijm", Map.of("w", "A"), Map.of(), inputs, dataFile, null, output);
	}

	private Stores stores() {
		return new Stores(S3ObjectStore.of(aws, "hostile-src"), S3ObjectStore.of(aws, "hostile-ws"), S3ObjectStore.of(aws, "hostile-dst"));
	}

	private List<String> keys(String bucket) {
		return aws.s3().listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(o -> o.key()).toList();
	}

	/**
	 * Hands one task to the worker as it is. A stand-in, not the product's queue: every real queue decodes
	 * its messages through the job reader's checks, so none can deliver the hostile task this test needs.
	 */
	private static final class OneTask implements TaskQueue {
		private Task task;

		OneTask(Task task) {
			this.task = task;
		}

		@Override
		public Optional<Delivery> receive(Duration wait) {
			Optional<Delivery> d = Optional.ofNullable(task).map(t -> new Delivery(t, "r", 1));
			task = null;
			return d;
		}

		@Override public org.parascope.queue.Sent send(List<Task> tasks) { return org.parascope.queue.Sent.allConfirmed(tasks.size()); }
		@Override public void extendVisibility(Delivery delivery, Duration visibility) {}
		@Override public void delete(Delivery delivery) {}
		@Override public void release(Delivery delivery, Duration delay) {}
		@Override public QueueCounts counts() { return new QueueCounts(0, 0, 0); }
		@Override public List<Task> deadTasks() { return List.of(); }
		@Override public List<Task> redriveDead() { return List.of(); }
		@Override public int maxReceives() { return 1; }
		@Override public Duration visibility() { return Duration.ofSeconds(60); }
	}
}
