package org.parascope.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.ParascopeException;
import org.parascope.aws.AwsClients;
import org.parascope.aws.MotoServer;
import org.parascope.aws.queue.SqsTaskQueue;
import org.parascope.aws.TcpProxy;
import org.parascope.aws.TestQueues;
import org.parascope.aws.ThrottlingProxy;
import org.parascope.config.Config;
import org.parascope.submit.JobManifest.State;
import org.parascope.submit.Submitter.Mode;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * What a submit records when SQS is slow, frozen or out of reach, behind the repo's fault proxies in
 * front of the emulator (moto never times out, freezes or refuses): the record's counts are true,
 * possible duplicates are named task by task, and --resume finishes what was not confirmed. Each
 * SendMessageBatch attempt is given 2 s here instead of 30 s.
 */
@ExtendWith(MotoServer.class)
class SubmitFaultsTest {

	private static final String SEND = "AmazonSQS.SendMessageBatch";
	private static final Duration ATTEMPT = Duration.ofSeconds(2);

	@TempDir
	Path dir;

	private final AwsClients direct = new AwsClients(Config.defaults(), null, MotoServer.env());

	@AfterEach
	void close() {
		direct.close();
	}

	private Path manifests() {
		return JobManifest.folder(dir, "Flt");
	}

	private Submitter.Plan plan(AwsClients aws, Path job, Mode mode) {
		return Submitter.plan(job, manifests(), mode, () -> new Submitter.Target(
			SqsTaskQueue.open(aws.sqs(), "FltQueue", "FltDead", "us-east-1").sendAttemptTimeout(ATTEMPT), "FltQueue", "FltDead",
			"us-east-1"));
	}

	private AwsClients via(java.net.URI endpoint) {
		Map<String, String> env = new HashMap<>(MotoServer.env());
		env.put("AWS_ENDPOINT_URL_SQS", endpoint.toString());
		return new AwsClients(Config.defaults(), null, env);
	}

	@Test
	void aTimeoutAfterTheServerStoredABatchIsReportedTaskByTask() throws Exception {
		TestQueues.create(direct.sqs(), "FltQueue", "FltDead", 3, Duration.ofSeconds(60));
		Path job = JobFiles.dcp(dir.resolve("job.json"), 200, 0);
		try (ThrottlingProxy proxy = new ThrottlingProxy(MotoServer.endpoint(), ThrottlingProxy.SERVER_ERROR, 0);
			AwsClients aws = via(proxy.endpoint()))
		{
			Submitter.Plan plan = plan(aws, job, Mode.NEW);
			// Two batches go through, then SQS stores three more whose answers never come.
			proxy.failAfter(2, 3, SEND, ThrottlingProxy.PROCESS_THEN_FREEZE);
			int before = proxy.forwarded();
			Submitter.Result result = Submitter.send(plan, 4, Submitter.Listener.NONE);

			JobManifest m = result.record();
			assertEquals(State.COMPLETE, m.state());
			assertEquals(200, m.tasksSent());
			assertEquals(0, m.tasksUnconfirmed());
			// Three; more only if the loaded emulator answered another batch later than the attempt's limit.
			long unanswered = m.tally().sendsUnanswered();
			assertTrue(unanswered >= 3, "unanswered sends: " + unanswered);
			assertEquals(10 * unanswered, m.tasksPossiblyDuplicated());
			assertEquals(20 + unanswered, proxy.forwarded() - before, "one request per batch and per retry: the SDK retried none itself");
			assertEquals(m.toJson().toString(), JobManifest.read(plan.manifest()).orElseThrow().toJson().toString());

			Map<Integer, Integer> copies = drain(direct.sqs());
			assertEquals(200 + m.tasksPossiblyDuplicated(), copies.values().stream().mapToInt(Integer::intValue).sum(),
				"queued: confirmed + possibly duplicated");
			assertEquals(200, copies.size(), "every task queued");
			TaskRanges twice = new TaskRanges();
			copies.forEach((task, n) -> {
				if (n == 2) twice.add(task);
			});
			assertEquals(m.tally().possiblyDuplicatedTasks().toString(), twice.toString(), "the record names exactly the tasks queued twice");
		}
	}

	@Test
	void aFrozenServerEndsTheSubmitWithARecordThatResumeFinishes() throws Exception {
		TestQueues.create(direct.sqs(), "FltQueue", "FltDead", 3, Duration.ofSeconds(60));
		Path job = JobFiles.dcp(dir.resolve("job.json"), 100, 0);
		try (ThrottlingProxy proxy = new ThrottlingProxy(MotoServer.endpoint(), ThrottlingProxy.SERVER_ERROR, 0);
			AwsClients aws = via(proxy.endpoint()))
		{
			Submitter.Plan plan = plan(aws, job, Mode.NEW);
			proxy.failAfter(3, 1_000, SEND, ThrottlingProxy.FREEZE);
			var e = assertThrows(ParascopeException.class, () -> Submitter.send(plan, 2, Submitter.Listener.NONE));
			JobManifest m = JobManifest.read(plan.manifest()).orElseThrow();
			assertEquals(State.FAILED, m.state());
			assertEquals(30, m.tasksSent());
			assertEquals(20, m.tasksUnconfirmed(), "the two batches in flight when it froze: no answer, so maybe queued");
			assertEquals(10, m.tally().sendsUnanswered(), "five attempts each");
			assertEquals(0, m.tasksPossiblyDuplicated());
			assertTrue(e.getMessage().startsWith("sending stopped after 30 of 100 tasks: sending tasks to queue FltQueue: ")
				&& e.getMessage().contains("(5 attempts)") && e.getMessage().contains("20 more were sent without an answer")
				&& e.getMessage().contains("'submit --resume' sends the 70 not confirmed"), e.getMessage());
			assertEquals(30, waiting(direct.sqs()), "the frozen server stored nothing");

			proxy.failNext(0, SEND, ThrottlingProxy.FREEZE); // the server is back
			Submitter.Plan resume = plan(aws, job, Mode.RESUME);
			Submitter.Result result = Submitter.send(resume, 2, Submitter.Listener.NONE);
			assertEquals(70, result.sent());
			JobManifest done = result.record();
			assertEquals(State.COMPLETE, done.state());
			assertEquals(100, done.tasksSent());
			assertEquals(0, done.tasksUnconfirmed());
			assertEquals(m.tally().unansweredTasks().toString(), done.tally().possiblyDuplicatedTasks().toString(),
				"the unanswered ones were sent again, so they may be queued twice");
			assertEquals(m.startedAt(), done.startedAt());
			Map<Integer, Integer> copies = drain(direct.sqs());
			assertEquals(100, copies.size());
			assertTrue(copies.values().stream().allMatch(n -> n == 1), "none was queued twice in fact: " + copies);
		}
	}

	@Test
	void refusedConnectionsQueueNothingAndLeaveNothingInDoubt() throws Exception {
		TestQueues.create(direct.sqs(), "FltQueue", "FltDead", 3, Duration.ofSeconds(60));
		Path job = JobFiles.dcp(dir.resolve("job.json"), 50, 0);
		TcpProxy proxy = new TcpProxy(MotoServer.endpoint(), Duration.ZERO);
		try (AwsClients aws = via(proxy.endpoint())) {
			Submitter.Plan plan = plan(aws, job, Mode.NEW);
			proxy.close(); // from now on every connection is refused
			// Apache HttpClient (the SDK's) checks a pooled connection idle for 2 s before reusing it: none the proxy cut is reused.
			Thread.sleep(2500);
			var e = assertThrows(ParascopeException.class, () -> Submitter.send(plan, 2, Submitter.Listener.NONE));
			JobManifest m = JobManifest.read(plan.manifest()).orElseThrow();
			assertEquals(State.FAILED, m.state());
			assertEquals(0, m.tasksSent());
			assertEquals(0, m.tasksUnconfirmed(), "a refused connection stored nothing: no task is in doubt");
			assertEquals(0, m.tally().sendsUnanswered());
			assertTrue(e.getMessage().contains("Connection refused"), e.getMessage());
			assertEquals(0, waiting(direct.sqs()));

			try (AwsClients again = new AwsClients(Config.defaults(), null, MotoServer.env())) {
				Submitter.Result result = Submitter.send(plan(again, job, Mode.RESUME), 2, Submitter.Listener.NONE);
				assertEquals(50, result.sent());
				assertEquals(0, result.record().tasksPossiblyDuplicated());
			}
			assertEquals(50, waiting(direct.sqs()));
		}
		finally {
			proxy.close();
		}
	}

	private static long waiting(SqsClient sqs) {
		String url = sqs.getQueueUrl(b -> b.queueName("FltQueue")).queueUrl();
		return Long.parseLong(sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
			.attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
	}

	/** Receives every message, hiding each for the rest of the test: task number to copies queued. */
	private static Map<Integer, Integer> drain(SqsClient sqs) {
		String url = sqs.getQueueUrl(b -> b.queueName("FltQueue")).queueUrl();
		Map<Integer, Integer> copies = new TreeMap<>();
		while (true) {
			var messages = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(300)).messages();
			if (messages.isEmpty()) return copies;
			for (Message msg : messages) {
				var matcher = java.util.regex.Pattern.compile("\"Metadata_Well\":\"W(\\d+)\"").matcher(msg.body());
				assertTrue(matcher.find(), msg.body());
				copies.merge(Integer.parseInt(matcher.group(1)), 1, Integer::sum);
			}
		}
	}
}
