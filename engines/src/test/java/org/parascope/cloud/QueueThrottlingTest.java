package org.parascope.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.Parascope;
import org.parascope.aws.AwsClients;
import org.parascope.aws.MotoServer;
import org.parascope.aws.store.S3ObjectStore;
import org.parascope.aws.queue.SqsTaskQueue;
import org.parascope.aws.ThrottlingProxy;
import org.parascope.cli.Outcome;
import org.parascope.config.Config;
import org.parascope.fleet.LocalFleet;
import org.parascope.job.Task;
import org.parascope.worker.TaskLog;
import org.parascope.worker.WorkerListener;

/**
 * A cloud worker whose queue throttles it for longer than the SQS client retries (the emulator never
 * throttles, so {@link ThrottlingProxy} answers SQS's RequestThrottled in front of it): a refused receive
 * is asked again after a pause, and a task whose results are stored but whose delete is refused stays
 * done: it is neither failed nor run again, and CHECK_IF_DONE skips it when it comes back.
 */
@ExtendWith(MotoServer.class)
class QueueThrottlingTest {

	static final String BUCKET = "df-bucket";

	@TempDir
	Path workDir;

	@Test
	void aThrottledReceiveIsAskedAgainAndADoneTaskWhoseDeleteIsRefusedIsNotRunTwice() throws Exception {
		Path configFile = workDir.resolve("config.py");
		Files.writeString(configFile, """
			APP_NAME = 'Throttled'
			DOCKERHUB_TAG = 'distributedscience/distributed-fiji:latest'
			ECS_CLUSTER = 'default'
			AWS_REGION = 'us-east-1'
			AWS_BUCKET = '%s'
			SQS_QUEUE_NAME = APP_NAME + 'Queue'
			SQS_MESSAGE_VISIBILITY = 5
			SQS_DEAD_LETTER_QUEUE = APP_NAME + 'DeadMessages'
			JOB_RETRIES = 3
			LOG_GROUP_NAME = APP_NAME
			CREATE_DASHBOARD = 'False'
			CHECK_IF_DONE_BOOL = 'True'
			EXPECTED_NUMBER_FILES = 1
			SCRIPT_DOWNLOAD_URL = 's3://%s/scripts/report.py'
			""".formatted(BUCKET, BUCKET));
		Path script = Files.writeString(workDir.resolve("report.py"), """
			#@String well
			with open('output/report.txt', 'w') as f:
			    f.write(well)
			""");
		Path job = Files.writeString(workDir.resolve("job.json"), """
			{"output_file_location": "results", "shared_metadata": {}, "groups": [{"well": "A01"}]}
			""");

		Map<String, String> env = MotoServer.env();
		Config config = Config.load(configFile, env, w -> {});
		try (ThrottlingProxy proxy = new ThrottlingProxy(MotoServer.endpoint(), ThrottlingProxy.SQS_REQUEST_THROTTLED, 0);
			AwsClients aws = new AwsClients(config, proxy.endpoint(), env); Parascope parascope = new Parascope(config, aws))
		{
			aws.s3().createBucket(b -> b.bucket(BUCKET));
			S3ObjectStore.of(aws, BUCKET).put("scripts/report.py", script);
			Outcome account = cli("init-account");
			assertEquals(0, account.exit(), account.out() + account.err());
			Outcome setup = cli("setup");
			assertEquals(0, setup.exit(), setup.out() + setup.err());
			Outcome submitted = cli("submit", job.toString());
			assertEquals(0, submitted.exit(), submitted.out() + submitted.err());

			// Four refusals outlast the SQS client's four attempts (the SDK's default retry policy), once each.
			proxy.throttleNext(4, "AmazonSQS.ReceiveMessage");
			proxy.throttleNext(4, "AmazonSQS.DeleteMessage");
			List<String> events = new CopyOnWriteArrayList<>();
			WorkerListener listener = new WorkerListener() {
				@Override
				public void succeeded(Task task, Duration took, TaskLog log) {
					events.add("succeeded " + task.label() + ": " + String.join("\n", log.tail(3)));
				}

				@Override
				public void skipped(Task task) {
					events.add("skipped " + task.label());
				}

				@Override
				public void failed(Task task, int attempt, int maxAttempts, String reason, TaskLog log) {
					events.add("failed " + task.label() + ": " + reason);
				}

				@Override
				public void note(String message) {
					events.add("note " + message);
				}
			};
			SqsTaskQueue queue = SqsTaskQueue.open(aws, config);
			try (LocalFleet workers = new LocalFleet(n -> parascope.cloudWorker("worker-" + n, listener,
				workDir.resolve("scratch-" + n)))) {
				workers.start(1);
				long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
				while (events.stream().noneMatch(e -> e.startsWith("skipped"))) {
					assertTrue(System.nanoTime() < deadline, "never skipped as done (throttled " + proxy.throttled() + ", forwarded " + proxy.forwarded() + "):\n" + String.join("\n", events));
					Thread.sleep(200);
				}
			}
			assertEquals(8, proxy.throttled(), "every planned refusal was met");
			assertTrue(queue.counts().drained(), "queue: " + queue.counts());

			assertEquals(3, events.size(), String.join("\n", events));
			assertTrue(events.get(0).startsWith("note cannot work the queue (receiving a task from queue ThrottledQueue:")
				&& events.get(0).contains("Request is throttled"), events.get(0));
			assertTrue(events.get(1).startsWith("succeeded well=A01: ") && events.get(1).contains(
				"done, but not deleted from the queue (") && events.get(1).contains(
				"it is received again after its visibility timeout, and then skipped as done (CHECK_IF_DONE_BOOL)"),
				events.get(1));
			assertEquals("skipped well=A01", events.get(2));
			assertEquals(List.of("results/report.txt"), S3ObjectStore.of(aws, BUCKET).list("results/").map(o -> o.key()).toList());
		}
	}

	private Outcome cli(String... args) {
		return Outcome.withConfig(workDir, MotoServer.env(), workDir.resolve("config.py"), args);
	}
}
