package org.parascope.aws.queue;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.parascope.aws.AwsErrors;
import org.parascope.queue.SendFailure;
import org.parascope.queue.Sent.Fate;
import org.parascope.queue.Sent;

import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsServiceClientConfiguration;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * SendMessageBatch that knows what it may have queued. The SDK's own retries are off for this call:
 * a retried request whose first answer was lost (a timeout after SQS stored the batch, a cut
 * connection, a 5xx) queues the batch twice, and the SDK would not say so. Here each attempt is
 * Parascope's: an entry whose request went unanswered is marked "may be queued", and if a later
 * attempt stores it, it is reported as possibly duplicated. A standard queue has no deduplication
 * ids (FIFO queues only), so reporting is all that can be done (docs/queue.md, "What SQS guarantees").
 */
final class SqsSends {

	/** Attempts of one batch: the first and four retries, as the SDK's standard mode would try. */
	static final int ATTEMPTS = 5;
	/** How long one attempt may take before it counts as unanswered: SQS answers in milliseconds when well. */
	static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(30);

	/** This call only: no SDK retries, and one attempt's time limit. */
	private static final SdkPlugin NO_SDK_RETRIES = config -> {
		SqsServiceClientConfiguration.Builder sqs = (SqsServiceClientConfiguration.Builder) config;
		sqs.overrideConfiguration(sqs.overrideConfiguration().toBuilder().retryStrategy(AwsRetryStrategy.doNotRetry()).build());
	};

	private final SqsQueue queue;
	private final AwsRequestOverrideConfiguration override;

	SqsSends(SqsQueue queue, Duration attemptTimeout) {
		this.queue = queue;
		this.override = AwsRequestOverrideConfiguration.builder().apiCallAttemptTimeout(attemptTimeout)
			.apiCallTimeout(attemptTimeout).addPlugin(NO_SDK_RETRIES).build();
	}

	/**
	 * Sends up to ten bodies; says what became of each. Entries the server fails and requests that
	 * fail on the way or go unanswered are tried again, up to {@link #ATTEMPTS} in all; entries the
	 * server refuses as malformed, and requests it refuses, are not. Throws {@link SendFailure} (with
	 * every entry's fate) when an entry could not be confirmed.
	 */
	Sent send(List<String> bodies) {
		int n = bodies.size();
		boolean[] confirmed = new boolean[n];
		boolean[] mayBeQueued = new boolean[n];
		int unansweredRequests = 0;
		List<Integer> pending = new ArrayList<>();
		for (int i = 0; i < n; i++) pending.add(i);
		String doing = "sending tasks to queue " + queue.name();
		String lastProblem = null;
		SdkException lastError = null;
		for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
			if (attempt > 1 && !backOff(attempt)) {
				return fail(doing + ": interrupted", confirmed, mayBeQueued, unansweredRequests, null);
			}
			List<SendMessageBatchRequestEntry> entries = pending.stream().map(i -> SendMessageBatchRequestEntry.builder()
				.id(Integer.toString(i)).messageBody(bodies.get(i)).build()).toList();
			SendMessageBatchResponse response;
			try {
				response = queue.sqs().sendMessageBatch(b -> b.queueUrl(queue.url()).entries(entries).overrideConfiguration(override));
			}
			catch (SdkException e) {
				if (mayHaveStored(e)) {
					unansweredRequests++;
					pending.forEach(i -> mayBeQueued[i] = true);
				}
				if (SqsQueue.interrupted(e) || !worthRetrying(e)) {
					return fail(AwsErrors.failure(doing, e).getMessage(), confirmed, mayBeQueued, unansweredRequests, e);
				}
				lastError = e;
				lastProblem = AwsErrors.explain(e);
				continue;
			}
			response.successful().forEach(ok -> confirmed[Integer.parseInt(ok.id())] = true);
			List<BatchResultErrorEntry> failed = response.failed();
			if (failed.isEmpty()) return sent(confirmed, mayBeQueued, unansweredRequests);
			BatchResultErrorEntry first = failed.get(0);
			String refused = "the queue refused " + failed.size() + " task(s) (" + first.code() + ": " + first.message() + ")";
			if (failed.stream().anyMatch(BatchResultErrorEntry::senderFault)) {
				return fail(doing + ": " + refused, confirmed, mayBeQueued, unansweredRequests, null);
			}
			lastError = null;
			lastProblem = refused;
			pending = failed.stream().map(f -> Integer.parseInt(f.id())).toList();
		}
		return fail(doing + ": " + lastProblem + " (" + ATTEMPTS + " attempts)", confirmed, mayBeQueued, unansweredRequests,
			lastError);
	}

	private static Sent sent(boolean[] confirmed, boolean[] mayBeQueued, int unansweredRequests) {
		Fate[] fates = new Fate[confirmed.length];
		for (int i = 0; i < fates.length; i++) {
			fates[i] = confirmed[i] ? (mayBeQueued[i] ? Fate.POSSIBLY_DUPLICATED : Fate.CONFIRMED)
				: mayBeQueued[i] ? Fate.UNANSWERED : Fate.NOT_SENT;
		}
		return new Sent(fates, unansweredRequests);
	}

	private static Sent fail(String message, boolean[] confirmed, boolean[] mayBeQueued, int unansweredRequests, Throwable cause) {
		throw new SendFailure(message, sent(confirmed, mayBeQueued, unansweredRequests), cause);
	}

	/**
	 * Whether the request may have reached SQS and been stored though no answer said so: a timeout, a
	 * connection cut mid-way, a server error. A refused connection or an unknown host never reached it,
	 * and an answer from SQS below 500 says what it did.
	 */
	static boolean mayHaveStored(SdkException e) {
		if (e instanceof AwsServiceException s) return s.statusCode() >= 500;
		for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
			if (t instanceof ConnectException || t instanceof UnknownHostException) return false;
		}
		return e instanceof SdkClientException;
	}

	/** The network, a timeout, throttling or a server error: what a later attempt can get past. */
	private static boolean worthRetrying(SdkException e) {
		if (e instanceof AwsServiceException s) return s.statusCode() >= 500 || s.statusCode() == 429 || s.isThrottlingException();
		return e instanceof SdkClientException;
	}

	/** A pause before the next attempt, growing from about 0.2 s to 1.6 s, jittered so that senders spread out. */
	private static boolean backOff(int attempt) {
		long base = 100L << (attempt - 1);
		try {
			Thread.sleep(base + ThreadLocalRandom.current().nextLong(base));
			return true;
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return false;
		}
	}
}
