package org.parascope.aws.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.parascope.ParascopeException;
import org.parascope.aws.AwsClients;
import org.parascope.aws.MotoServer;
import org.parascope.aws.TestQueues;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;
import org.parascope.job.Engine;
import org.parascope.job.Task;
import org.parascope.queue.Delivery;
import org.parascope.queue.QueueCounts;
import org.parascope.queue.SendFailure;
import org.parascope.queue.TaskQueue;
import org.parascope.queue.TaskQueueContract;

import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The SQS adapter passes the same contract as the local queue, against the emulator over HTTP. */
@ExtendWith(MotoServer.class)
class SqsTaskQueueTest extends TaskQueueContract {

	private final AwsClients aws = new AwsClients(Config.defaults(), null, MotoServer.env());

	@AfterEach
	void close() {
		aws.close();
	}

	@Override
	protected TaskQueue newQueue(int maxReceives, Duration visibility) {
		TestQueues.create(aws.sqs(), "TestQueue", "TestDead", maxReceives, visibility);
		return SqsTaskQueue.open(aws.sqs(), "TestQueue", "TestDead", "us-east-1");
	}

	/**
	 * SQS delivers at least once. The emulator shows it more often than AWS: moto's receive and delete
	 * are not atomic across its request threads, so concurrent receivers are now and then handed a
	 * task twice, or a deleted one again (moto issue #519).
	 */
	@Override
	protected boolean deliversEachTaskOnce() {
		return false;
	}

	@Test
	void limitsAreReadFromTheQueueItself() {
		TaskQueue q = newQueue(4, Duration.ofSeconds(45));
		assertEquals(4, q.maxReceives());
		assertEquals(Duration.ofSeconds(45), q.visibility());
	}

	@Test
	void aMissingQueueSaysToRunSetup() {
		Config config = Config.defaults().with(ConfigKey.APP_NAME, "Absent").with(ConfigKey.AWS_REGION, "eu-west-1");
		// The environment's AWS_REGION would win over the config's (docs/aws.md, "Signing in").
		Map<String, String> env = new java.util.HashMap<>(MotoServer.env());
		env.remove("AWS_REGION");
		try (AwsClients clients = new AwsClients(config, null, env)) {
			var e = assertThrows(ParascopeException.class, () -> SqsTaskQueue.open(clients, config));
			assertEquals("queue AbsentQueue does not exist in eu-west-1: run 'parascope setup' first", e.getMessage());
		}
	}

	@Test
	void aQueueWithoutRedrivePolicySaysToRunSetup() {
		aws.sqs().createQueue(b -> b.queueName("Plain"));
		aws.sqs().createQueue(b -> b.queueName("PlainDead"));
		var e = assertThrows(ParascopeException.class, () -> SqsTaskQueue.open(aws.sqs(), "Plain", "PlainDead", "us-east-1"));
		assertTrue(e.getMessage().contains("has no dead-letter queue") && e.getMessage().contains("parascope setup"),
			e.getMessage());
	}

	@Test
	void aTaskTooBigForTheQueueIsRefusedNamingIt() {
		TestQueues.create(aws.sqs(), "Small", "SmallDead", 3, Duration.ofSeconds(30));
		String url = aws.sqs().getQueueUrl(b -> b.queueName("Small")).queueUrl();
		aws.sqs().setQueueAttributes(b -> b.queueUrl(url).attributes(Map.of(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "1024")));
		TaskQueue q = SqsTaskQueue.open(aws.sqs(), "Small", "SmallDead", "us-east-1");
		var big = new Task("7", Engine.FIJI, "m.ijm", Map.of("image", "x".repeat(2000)),
			Map.of(), List.of(), null, null, "out");
		var e = assertThrows(SendFailure.class, () -> q.send(List.of(task(1), big)));
		assertTrue(e.getMessage().contains("task image=xxx") && e.getMessage().contains("at most 1024"), e.getMessage());
		assertEquals(0, e.stored(), "nothing was sent: the batch is checked before it goes");
	}

	@Test
	void listingDeadTasksLeavesThemThereAndRedriveMovesEveryOne() {
		TaskQueue q = newQueue(1, Duration.ofSeconds(30));
		List<Task> tasks = IntStream.range(0, 15).mapToObj(TaskQueueContract::task).toList();
		q.send(tasks);
		for (int i = 0; i < 15; i++) q.release(q.receive(Duration.ofSeconds(5)).orElseThrow(), Duration.ZERO);
		// The next receive finds every task received once already: all go to the dead-letter queue.
		assertTrue(q.receive(Duration.ofSeconds(1)).isEmpty());

		assertEquals(Set.copyOf(tasks), Set.copyOf(q.deadTasks()));
		assertEquals(Set.copyOf(tasks), Set.copyOf(q.deadTasks()), "a second listing sees them all again");
		assertEquals(15, q.counts().dead());

		assertEquals(Set.copyOf(tasks), Set.copyOf(q.redriveDead()));
		assertEquals(new QueueCounts(15, 0, 0), q.counts());
		assertEquals(List.of(), q.redriveDead());
	}

	@Test
	void anOldReceiptNeitherFailsNorTouchesTheNewReceive() {
		TaskQueue q = newQueue(5, Duration.ofSeconds(30));
		q.send(List.of(task(1)));
		Delivery first = q.receive(Duration.ofSeconds(5)).orElseThrow();
		q.release(first, Duration.ZERO);
		Delivery second = q.receive(Duration.ofSeconds(5)).orElseThrow();
		q.extendVisibility(first, Duration.ofSeconds(60));
		q.delete(second);
		q.delete(second);
		assertTrue(q.counts().drained());
	}
}
