package org.parascope.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.parascope.ParascopeException;
import org.parascope.queue.SendFailure;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.MessageNotInflightException;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.ReceiptHandleIsInvalidException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/** One existing SQS queue, found by name: its attributes, batch sends, and what its errors mean. */
record SqsQueue(SqsClient sqs, String name, String url) {

	/** SendMessageBatch and the other batch calls take at most this many entries. */
	static final int BATCH = 10;
	/** Entries SendMessageBatch reports as failed on the server's side are retried this often. */
	private static final int SEND_ATTEMPTS = 5;

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
	 * Sends up to ten bodies; entries that fail on the server's side are retried (only those), entries
	 * the server refuses as malformed are not. Marks in {@code stored} what was confirmed; on failure
	 * throws {@link SendFailure} with the count of this batch.
	 */
	void send(List<String> bodies, boolean[] stored) {
		List<SendMessageBatchRequestEntry> pending = new ArrayList<>(bodies.size());
		for (int i = 0; i < bodies.size(); i++) {
			pending.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(bodies.get(i)).build());
		}
		String doing = "sending tasks to queue " + name;
		for (int attempt = 1;; attempt++) {
			List<SendMessageBatchRequestEntry> entries = pending;
			SendMessageBatchResponse response;
			try {
				response = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries));
			}
			catch (SdkException e) {
				throw new SendFailure(AwsErrors.failure(doing, e).getMessage(), count(stored),
					fateUnknown(e) ? pending.size() : 0, e);
			}
			response.successful().forEach(ok -> stored[Integer.parseInt(ok.id())] = true);
			List<BatchResultErrorEntry> failed = response.failed();
			if (failed.isEmpty()) return;
			BatchResultErrorEntry first = failed.get(0);
			if (attempt == SEND_ATTEMPTS || failed.stream().anyMatch(BatchResultErrorEntry::senderFault)) {
				throw new SendFailure(doing + ": the queue refused " + failed.size() + " task(s) (" + first.code() + ": "
					+ first.message() + ")", count(stored), 0, null);
			}
			Set<String> retry = failed.stream().map(BatchResultErrorEntry::id).collect(Collectors.toSet());
			pending = pending.stream().filter(e -> retry.contains(e.id())).toList();
			backOff(attempt, count(stored));
		}
	}

	/** A pause before retrying entries the server failed: it is busy, so ask again a little later. */
	private static void backOff(int attempt, int stored) {
		try {
			Thread.sleep(50L << attempt);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new SendFailure("interrupted while sending", stored, 0, e);
		}
	}

	static int count(boolean[] flags) {
		int n = 0;
		for (boolean f : flags) if (f) n++;
		return n;
	}

	/** A request whose answer never came may have been stored; a refusal by the service was not. */
	private static boolean fateUnknown(SdkException e) {
		return e instanceof SdkClientException
			|| e instanceof AwsServiceException s && s.statusCode() >= 500;
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
