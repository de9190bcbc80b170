package org.parascope.aws.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.parascope.ParascopeException;
import org.parascope.aws.AwsClients;
import org.parascope.aws.MotoServer;
import org.parascope.aws.TestQueues;
import org.parascope.aws.ThrottlingProxy;
import org.parascope.config.Config;
import org.parascope.queue.Delivery;
import org.parascope.queue.QueueCounts;
import org.parascope.queue.TaskQueue;
import org.parascope.queue.TaskQueueContract;

/**
 * SQS throttling (RequestThrottled) is retried by the queue's client: each call a submit or a worker
 * makes goes through after two throttled answers, and one throttled past the client's retries fails
 * naming the queue and SQS's reason. Behind {@link ThrottlingProxy}, because the emulator never throttles.
 */
@ExtendWith(MotoServer.class)
class SqsThrottlingTest {

	@Test
	void throttledQueueCallsAreRetriedAndAThrottleThatOutlastsTheRetriesIsNamed() throws Exception {
		try (AwsClients direct = new AwsClients(Config.defaults(), null, MotoServer.env())) {
			TestQueues.create(direct.sqs(), "Busy", "BusyDead", 3, Duration.ofSeconds(30));
		}
		try (ThrottlingProxy proxy = new ThrottlingProxy(MotoServer.endpoint(), ThrottlingProxy.SQS_REQUEST_THROTTLED, 0);
			AwsClients aws = new AwsClients(Config.defaults(), proxy.endpoint(), MotoServer.env()))
		{
			TaskQueue q = SqsTaskQueue.open(aws.sqs(), "Busy", "BusyDead", "us-east-1");
			proxy.throttleNext(2);
			q.send(List.of(TaskQueueContract.task(1), TaskQueueContract.task(2)));
			proxy.throttleNext(2);
			Delivery first = q.receive(Duration.ofSeconds(5)).orElseThrow();
			proxy.throttleNext(2);
			q.extendVisibility(first, Duration.ofSeconds(60));
			proxy.throttleNext(2);
			q.delete(first);
			Delivery second = q.receive(Duration.ofSeconds(5)).orElseThrow();
			proxy.throttleNext(2);
			q.release(second, Duration.ZERO);
			proxy.throttleNext(2);
			assertEquals(new QueueCounts(1, 0, 0), q.counts(), "one task done, one back in the queue");
			assertEquals(12, proxy.throttled());

			proxy.throttleNext(100);
			var e = assertThrows(ParascopeException.class, () -> q.receive(Duration.ofSeconds(1)));
			assertTrue(e.getMessage().startsWith("receiving a task from queue Busy:")
				&& e.getMessage().contains("Request is throttled"), e.getMessage());
		}
	}
}
