package org.parascope.aws.queue;

import java.util.Map;
import java.util.Set;

import org.parascope.ParascopeException;
import org.parascope.aws.AwsErrors;
import org.parascope.aws.Removal;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageNotInflightException;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.ReceiptHandleIsInvalidException;

/** One existing SQS queue, found by name: its attributes, and what its errors mean; and its removal. */
public record SqsQueue(SqsClient sqs, String name, String url) {

	/** SendMessageBatch and the other batch calls take at most this many entries. */
	static final int BATCH = 10;

	static SqsQueue find(SqsClient sqs, String name, String region) {
		try {
			return new SqsQueue(sqs, name, sqs.getQueueUrl(r -> r.queueName(name)).queueUrl());
		}
		catch (SdkException e) {
			if (missingQueue(e)) {
				throw new ParascopeException("queue " + name + " does not exist in " + region + ": run 'parascope setup' first");
			}
			throw AwsErrors.failure("looking up queue " + name + " in " + region, e);
		}
	}

	/** Removes the queue {@code name}, if it exists (the teardown). */
	public static Removal removeIfPresent(SqsClient sqs, String name) {
		return remove(sqs, name, "queue " + name, false);
	}

	/**
	 * Removes the dead-letter queue {@code name} once it is empty: while it holds tasks they are the
	 * failed ones, which retry-failed sends back, so it is kept, and the next cleanup removes it.
	 */
	public static Removal removeDeadLettersIfEmpty(SqsClient sqs, String name) {
		return remove(sqs, name, "dead-letter queue " + name, true);
	}

	private static Removal remove(SqsClient sqs, String name, String resource, boolean keepTasks) {
		try {
			String url;
			try {
				url = sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
			}
			catch (SdkException e) {
				if (missingQueue(e)) return Removal.absent(resource);
				throw e;
			}
			if (keepTasks) {
				long held = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
					QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
					.attributes().values().stream().mapToLong(Long::parseLong).sum();
				if (held > 0) {
					return Removal.kept(resource, held + " failed task(s): 'parascope retry-failed' sends them back after "
						+ "'parascope setup'; the next cleanup deletes it once it is empty");
				}
			}
			sqs.deleteQueue(b -> b.queueUrl(url));
			return Removal.removed(resource);
		}
		catch (SdkException e) {
			return Removal.failed("deleting " + resource, e);
		}
	}

	Map<QueueAttributeName, String> attributes(QueueAttributeName... names) {
		try {
			return sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(names)).attributes();
		}
		catch (SdkException e) {
			if (missingQueue(e)) throw new ParascopeException("queue " + name + " does not exist (any more): run 'parascope setup' first");
			throw AwsErrors.failure("reading the attributes of queue " + name, e);
		}
	}

	static long number(Map<QueueAttributeName, String> attributes, QueueAttributeName attribute) {
		String value = attributes.get(attribute);
		return value == null ? 0 : Long.parseLong(value);
	}

	/**
	 * SQS speaks JSON, but answers errors with the codes of its older query protocol as well
	 * (AWS.SimpleQueueService.NonExistentQueue); the SDK maps only one of the two to an exception class.
	 */
	static boolean missingQueue(SdkException e) {
		return e instanceof QueueDoesNotExistException
			|| Set.of("AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist").contains(errorCode(e));
	}

	/** The receipt belongs to an earlier receive of a message that is gone or was received again. */
	static boolean staleReceipt(SdkException e) {
		String code = errorCode(e);
		return e instanceof ReceiptHandleIsInvalidException || e instanceof MessageNotInflightException
			|| Set.of("ReceiptHandleIsInvalid", "MessageNotInflight", "AWS.SimpleQueueService.MessageNotInflight").contains(code)
			// What SQS says when changing the visibility of a message that is visible again or deleted.
			|| "InvalidParameterValue".equals(code) && String.valueOf(e.getMessage()).contains("ReceiptHandle");
	}

	private static String errorCode(SdkException e) {
		String code = e instanceof AwsServiceException s && s.awsErrorDetails() != null ? s.awsErrorDetails().errorCode() : null;
		return code == null ? "" : code;
	}

	/** The calling thread was interrupted during the call. */
	static boolean interrupted(SdkException e) {
		if (e instanceof AbortedException || Thread.currentThread().isInterrupted()) return true;
		for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
			if (t instanceof InterruptedException) return true;
		}
		return false;
	}
}
