package org.parascope.aws;

import java.time.Duration;
import java.util.Map;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Creates a queue and its dead-letter queue as 'parascope setup' does (redrive after
 * {@code maxReceives} receives), for tests and the benchmark that need queues without running setup.
 */
public final class TestQueues {

	private TestQueues() {}

	public static void create(SqsClient sqs, String name, String deadName, int maxReceives, Duration visibility) {
		String deadUrl = sqs.createQueue(b -> b.queueName(deadName)).queueUrl();
		String deadArn = sqs.getQueueAttributes(b -> b.queueUrl(deadUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
			.attributes().get(QueueAttributeName.QUEUE_ARN);
		String redrive = "{\"maxReceiveCount\":\"" + maxReceives + "\",\"deadLetterTargetArn\":\"" + deadArn + "\"}";
		sqs.createQueue(b -> b.queueName(name).attributes(Map.of(
			QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(visibility.toSeconds()),
			QueueAttributeName.REDRIVE_POLICY, redrive)));
	}
}
