package org.parascope.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.aws.AwsClients;
import org.parascope.aws.logs.CloudWatchTaskLogs;
import org.parascope.aws.MotoServer;
import org.parascope.aws.store.S3ObjectStore;
import org.parascope.aws.queue.SqsTaskQueue;
import org.parascope.aws.TestQueues;
import org.parascope.cli.Main;
import org.parascope.cli.Outcome;
import org.parascope.config.Config;
import org.parascope.job.Engine;
import org.parascope.job.Task;
import org.parascope.queue.Delivery;
import org.parascope.queue.QueueCounts;

import com.sun.net.httpserver.HttpServer;

import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * {@code parascope worker} as it runs in a container: a real child JVM working the emulator's SQS
 * queue and S3 bucket with real ImageJ macros, killed, stopped and interrupted as a fleet would.
 * Each task's macro appends a line to a local file when it starts, so a test knows when a task is
 * in hand and how often it ran; while the file {@code hold} exists the macro keeps running.
 */
@ExtendWith(MotoServer.class)
class WorkerProcessTest {

	static final String APP = "Fault", BUCKET = "fault-bucket", QUEUE = APP + "Queue", DEAD = APP + "DeadMessages";

	@TempDir
	Path dir;

	private AwsClients aws;
	private Path runs, hold;
	private final List<Process> children = new ArrayList<>();

	@BeforeEach
	void resources() throws IOException {
		aws = new AwsClients(Config.defaults(), null, MotoServer.env());
		aws.s3().createBucket(b -> b.bucket(BUCKET));
		aws.logs().createLogGroup(b -> b.logGroupName(APP));
		runs = dir.resolve("runs.log");
		hold = dir.resolve("hold");
		Path macro = Files.writeString(dir.resolve("m.ijm"), """
			#@ String image
			File.append(image, "%s");
			while (File.exists("%s")) wait(100);
			if (image == "poison") run("No Such Command Anywhere");
			File.saveString(image, output + "/" + image + ".txt");
			""".formatted(slashes(runs), slashes(hold)));
		S3ObjectStore.of(aws, BUCKET).put("m.ijm", macro);
	}

	@AfterEach
	void end() {
		children.forEach(Process::destroyForcibly);
		aws.close();
	}

	/** kill -9 mid-task: the task comes back after the visibility timeout and another worker completes it, once. */
	@Test
	void aKilledWorkersTaskIsCompletedByAnotherWorkerExactlyOnce() throws Exception {
		SqsTaskQueue queue = queue(3, 2);
		Files.createFile(hold);
		queue.send(List.of(task("a")));
		Process first = worker(Map.of(), "--idle-exit", "60");
		awaitRuns(1, first);
		first.destroyForcibly(); // SIGKILL: no hook runs, the task is left in flight
		assertTrue(first.waitFor(30, TimeUnit.SECONDS));
		Files.delete(hold);

		Process second = worker(Map.of(), "--idle-exit", "5");
		assertEquals(0, exit(second), output(second));
		assertEquals(List.of("a", "a"), Files.readAllLines(runs), "killed once, completed once");
		assertEquals(List.of("out/a/a.txt"), results(), "exactly one set of results");
		assertEquals(new QueueCounts(0, 0, 0), queue.counts(), "nothing left, nothing dead");
	}

	/** The heartbeat keeps a task that runs longer than SQS_MESSAGE_VISIBILITY hidden: it runs once. */
	@Test
	void aTaskLongerThanTheVisibilityTimeoutRunsOnceOnSqs() throws Exception {
		SqsTaskQueue queue = queue(3, 2);
		Files.createFile(hold);
		queue.send(List.of(task("long")));
		// The second worker starts a second later: two receives at the same instant can both get the
		// task from moto (see SqsTaskQueueTest.deliversEachTaskOnce), which is not what this tests.
		Process worker = worker(Map.of("DOCKER_CORES", "2", "SECONDS_TO_START", "1"), "--idle-exit", "3");
		awaitRuns(1, worker);
		Thread.sleep(5000); // two and a half visibility timeouts with a second worker waiting
		Files.delete(hold);
		assertEquals(0, exit(worker), output(worker));
		assertEquals(List.of("long"), Files.readAllLines(runs));
		assertEquals(List.of("out/long/long.txt"), results());
		assertEquals(new QueueCounts(0, 0, 0), queue.counts());
	}

	/** A task that fails every try reaches the dead-letter queue after JOB_RETRIES receives, backing off between tries. */
	@Test
	void aPoisonTaskIsDeadLetteredAfterJobRetriesTries() throws Exception {
		SqsTaskQueue queue = queue(3, 2);
		queue.send(List.of(task("poison"), task("fine")));
		Process worker = worker(Map.of("RETRY_DELAY", "1"), "--idle-exit", "6");
		assertEquals(0, exit(worker), output(worker));
		assertEquals(3, Files.readAllLines(runs).stream().filter("poison"::equals).count(), "JOB_RETRIES tries");
		assertEquals(List.of("out/fine/fine.txt"), results());
		assertEquals(new QueueCounts(0, 0, 1), queue.counts());
		assertEquals("poison", queue.deadTasks().get(0).metadata().get("image"));
		String err = output(worker);
		assertTrue(err.contains("task image=poison: failed (try 3 of 3): macro error: Unrecognized command"), err);
		List<String> log = new ArrayList<>();
		new CloudWatchTaskLogs(aws.logs(), APP).read(CloudWatchTaskLogs.streamName("image=poison"), log::add);
		assertTrue(log.stream().anyMatch(l -> l.endsWith("; next try in 1 s")), "backoff after try 1: " + log);
		assertTrue(log.stream().anyMatch(l -> l.endsWith("; next try in 2 s")), "doubled after try 2: " + log);
	}

	/** A body no decoder reads is named in the log and left for the dead-letter queue; the worker goes on. */
	@Test
	void anUndecodableMessageIsLoggedAndDeadLettered() throws Exception {
		SqsTaskQueue queue = queue(2, 2);
		String url = aws.sqs().getQueueUrl(b -> b.queueName(QUEUE)).queueUrl();
		String id = aws.sqs().sendMessage(b -> b.queueUrl(url).messageBody("{\"hello\": \"world\"}")).messageId();
		queue.send(List.of(task("after")));
		Process worker = worker(Map.of(), "--idle-exit", "4");
		assertEquals(0, exit(worker), output(worker));
		String err = output(worker);
		assertTrue(err.contains("parascope: queue " + QUEUE + ": message " + id + " is not a task, skipped (receive 1 of 2, "
			+ "then it goes to the dead-letter queue " + DEAD + "): task message: expected a Parascope task"), err);
		assertEquals(List.of("out/after/after.txt"), results(), "the worker went on with the next task");
		String deadUrl = aws.sqs().getQueueUrl(b -> b.queueName(DEAD)).queueUrl();
		List<Message> dead = aws.sqs().receiveMessage(b -> b.queueUrl(deadUrl).maxNumberOfMessages(10)).messages();
		assertEquals(List.of("{\"hello\": \"world\"}"), dead.stream().map(Message::body).toList());
	}

	/**
	 * A spot interruption notice hands the task in hand back to the queue at once: another consumer
	 * receives it long before its visibility timeout (60 s) would have. The instance metadata service
	 * is a stand-in on loopback (JDK HttpServer) because no real one exists off EC2; it speaks IMDSv2:
	 * a token from PUT /latest/api/token, then 404 for the notice until the test sets one.
	 */
	@Test
	void aSpotInterruptionNoticeReleasesTheTaskInHandAtOnce() throws Exception {
		SqsTaskQueue queue = queue(3, 60);
		AtomicBoolean notice = new AtomicBoolean();
		HttpServer imds = metadataStandIn(notice);
		try {
			Files.createFile(hold);
			queue.send(List.of(task("spot")));
			Map<String, String> env = Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT",
				"http://127.0.0.1:" + imds.getAddress().getPort());
			Process worker = worker(env, "--idle-exit", "60");
			awaitRuns(1, worker);
			notice.set(true);
			Optional<Delivery> again = queue.receive(Duration.ofSeconds(10));
			assertTrue(again.isPresent(), "the task is receivable within 10 s of the notice\n" + output(worker));
			assertEquals("spot", again.get().task().metadata().get("image"));
			assertEquals(0, exit(worker), "the worker ends after the notice\n" + output(worker));
			assertTrue(output(worker).contains("spot interruption notice"), output(worker));
		}
		finally {
			imds.stop(0);
		}
	}

	@Test
	void idleExitEndsTheProcess() throws Exception {
		queue(3, 2);
		Outcome run = Outcome.runIn(dir, workerEnv(Map.of()), "worker", "--idle-exit", "1");
		assertEquals(0, run.exit(), run.err());
		assertTrue(run.err().contains("worker: ended: the queue was empty for 1 s"), run.err());
	}

	/**
	 * A queue deleted under a running worker: it cannot be worked, which is not "empty". Once the idle
	 * limit passes the worker ends all the same, saying so, with exit 3 (try again: someone may make
	 * the queue again) rather than 0.
	 */
	@Test
	void aWorkerWhoseQueueWasDeletedEndsAfterTheIdleLimitWithExitThree() throws Exception {
		queue(3, 2);
		// Longer than the worker's first long poll (5 s), which may outlast the queue without a word.
		Process worker = worker(Map.of(), "--idle-exit", "7");
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (!output(worker).contains("worker: 1 worker(s) on queue")) {
			assertTrue(worker.isAlive() && System.nanoTime() < deadline, "the worker did not start\n" + output(worker));
			Thread.sleep(100);
		}
		aws.sqs().deleteQueue(b -> b.queueUrl(aws.sqs().getQueueUrl(q -> q.queueName(QUEUE)).queueUrl()));
		assertEquals(3, exit(worker), output(worker));
		String err = output(worker);
		assertTrue(err.contains("worker: ended: the queue could not be worked for 7 s: receiving a task from queue " + QUEUE), err);
		assertTrue(err.contains("does not exist"), err);
	}

	/** A failed plugin step (DCP's start script would go on) ends the worker before it takes a task. */
	@Test
	void aFailedPluginStepEndsTheWorkerBeforeItTakesATask() throws Exception {
		SqsTaskQueue queue = queue(3, 60);
		queue.send(List.of(task("a")));
		Path plugins = Files.createDirectories(dir.resolve("CellProfiler-plugins/active_plugins"));
		Outcome run = Outcome.runIn(dir, workerEnv(Map.of("USE_PLUGINS", "True", "PLUGINS_COMMIT", "v9",
			"CELLPROFILER_PLUGINS_DIRECTORY", plugins.toString())), "worker", "--idle-exit", "1");
		assertEquals(2, run.exit(), run.err());
		assertTrue(run.err().contains("PLUGINS_COMMIT: 'git checkout --quiet v9 --' in " + plugins.getParent()), run.err());
		assertEquals(new QueueCounts(1, 0, 0), queue.counts(), "the task was not taken");
	}

	/** An empty queue ends the process before the staggered workers have all started (here: 20 minutes). */
	@Test
	void idleExitDoesNotWaitForTheStaggeredWorkers() throws Exception {
		queue(3, 2);
		Process worker = worker(Map.of("DOCKER_CORES", "3", "SECONDS_TO_START", "600"), "--idle-exit", "1");
		assertEquals(0, exit(worker), output(worker));
		assertTrue(output(worker).contains("worker: ended: the queue was empty for 1 s"), output(worker));
	}

	/** SIGTERM (docker stop): the task in hand finishes within the grace period, and nothing new is taken. */
	@Test
	void sigtermLetsTheTaskInHandFinish() throws Exception {
		SqsTaskQueue queue = queue(3, 60);
		Files.createFile(hold);
		queue.send(List.of(task("a")));
		Process worker = worker(Map.of(), "--grace", "60");
		awaitRuns(1, worker);
		queue.send(List.of(task("b")));
		worker.destroy(); // SIGTERM
		Thread.sleep(1000);
		Files.delete(hold);
		assertTrue(worker.waitFor(60, TimeUnit.SECONDS), output(worker));
		assertEquals(List.of("out/a/a.txt"), results(), output(worker));
		assertEquals(new QueueCounts(1, 0, 0), queue.counts(), "a done and deleted; b never taken");
	}

	/** SIGTERM with a task that outlasts the grace period: the task goes back to the queue, visible at once. */
	@Test
	void sigtermAfterTheGraceHandsTheTaskBack() throws Exception {
		SqsTaskQueue queue = queue(3, 60);
		Files.createFile(hold);
		queue.send(List.of(task("a")));
		Process worker = worker(Map.of(), "--grace", "1");
		awaitRuns(1, worker);
		worker.destroy();
		assertTrue(worker.waitFor(60, TimeUnit.SECONDS), output(worker));
		Optional<Delivery> again = queue.receive(Duration.ofSeconds(5));
		assertTrue(again.isPresent(), "visible again long before the 60 s visibility timeout\n" + output(worker));
		assertTrue(output(worker).contains("task image=a handed back to the queue: stopped (SIGTERM), and the grace period "
			+ "of 1 s is over"), output(worker));
	}

	private SqsTaskQueue queue(int maxReceives, int visibilitySeconds) {
		TestQueues.create(aws.sqs(), QUEUE, DEAD, maxReceives, Duration.ofSeconds(visibilitySeconds));
		return SqsTaskQueue.open(aws.sqs(), QUEUE, DEAD, "us-east-1");
	}

	private static Task task(String image) {
		return new Task(image, Engine.FIJI, "m.ijm", Map.of("image", image), Map.of(), List.of(), null, null, "out/" + image);
	}

	/** The config as a task definition gives it: every setting in the environment, no config file. */
	private static Map<String, String> workerEnv(Map<String, String> extra) {
		Map<String, String> env = new LinkedHashMap<>(MotoServer.env());
		env.putAll(Map.of("APP_NAME", APP, "AWS_BUCKET", BUCKET, "DOCKER_CORES", "1", "SECONDS_TO_START", "0",
			"RETRY_DELAY", "0", "AWS_EC2_METADATA_DISABLED", "true"));
		env.putAll(extra);
		if (extra.containsKey("AWS_EC2_METADATA_SERVICE_ENDPOINT")) env.remove("AWS_EC2_METADATA_DISABLED");
		return env;
	}

	private Process worker(Map<String, String> env, String... args) throws IOException {
		// The opening parascope.jar's manifest gives (Add-Opens): ImageJ's patcher defines classes through java.lang.
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
			"--add-opens", "java.base/java.lang=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "worker", "--scratch", "scratch"));
		command.addAll(List.of(args));
		int n = children.size();
		ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
			.redirectOutput(dir.resolve("out-" + n + ".txt").toFile()).redirectError(dir.resolve("err-" + n + ".txt").toFile());
		pb.environment().putAll(workerEnv(env));
		Process p = pb.start();
		children.add(p);
		return p;
	}

	private int exit(Process p) throws InterruptedException {
		assertTrue(p.waitFor(90, TimeUnit.SECONDS), "the worker did not end\n" + output(p));
		return p.exitValue();
	}

	private String output(Process p) {
		int n = children.indexOf(p);
		try {
			return Files.readString(dir.resolve("out-" + n + ".txt"), StandardCharsets.UTF_8)
				+ Files.readString(dir.resolve("err-" + n + ".txt"), StandardCharsets.UTF_8);
		}
		catch (IOException e) {
			return "(no output: " + e + ")";
		}
	}

	/** Waits until the macro has started {@code n} times. */
	private void awaitRuns(int n, Process p) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (!Files.exists(runs) || Files.readAllLines(runs).size() < n) {
			assertTrue(p.isAlive(), "the worker ended early\n" + output(p));
			assertTrue(System.nanoTime() < deadline, "no task started within 60 s\n" + output(p));
			Thread.sleep(100);
		}
	}

	private List<String> results() {
		return S3ObjectStore.of(aws, BUCKET).list("out/").map(o -> o.key()).sorted().toList();
	}

	/** IMDSv2 on loopback: tokens only by PUT with a TTL header; the notice needs the token. */
	private static HttpServer metadataStandIn(AtomicBoolean notice) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.createContext("/latest/api/token", x -> {
			boolean ok = "PUT".equals(x.getRequestMethod()) && x.getRequestHeaders().containsKey("X-aws-ec2-metadata-token-ttl-seconds");
			byte[] body = (ok ? "token-1" : "").getBytes(StandardCharsets.UTF_8);
			x.sendResponseHeaders(ok ? 200 : 400, body.length == 0 ? -1 : body.length);
			x.getResponseBody().write(body);
			x.close();
		});
		server.createContext("/latest/meta-data/spot/instance-action", x -> {
			int status = !"token-1".equals(x.getRequestHeaders().getFirst("X-aws-ec2-metadata-token")) ? 401
				: notice.get() ? 200 : 404;
			byte[] body = (status == 200 ? "{\"action\": \"terminate\", \"time\": \"2030-01-01T00:00:00Z\"}" : "")
				.getBytes(StandardCharsets.UTF_8);
			x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
			x.getResponseBody().write(body);
			x.close();
		});
		server.start();
		return server;
	}

	private static String slashes(Path p) {
		return p.toString().replace('\\', '/');
	}
}
