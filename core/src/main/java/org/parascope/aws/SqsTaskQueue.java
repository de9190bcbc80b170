package org.parascope.aws;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.parascope.ParascopeException;
import org.parascope.config.Config;
import org.parascope.job.Task;
import org.parascope.job.TaskMessage;
import org.parascope.queue.Delivery;
import org.parascope.queue.QueueCounts;
import org.parascope.queue.SendFailure;
import org.parascope.queue.TaskQueue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageNotInflightException;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.ReceiptHandleIsInvalidException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The task queue on Amazon SQS: a queue whose RedrivePolicy moves a task to the dead-letter queue
 * once it has been received maxReceiveCount times. Both queues are created by {@code parascope setup};
 * the receive limit and the visibility timeout are read from the queue itself, so they are what SQS
 * really applies.
 */
public final class SqsTaskQueue implements TaskQueue {

	/** SendMessageBatch, ReceiveMessage and the other batch calls take at most this many entries. */
	public static final int BATCH = 10;
	/** The longest long poll SQS allows. */
	private static final int MAX_WAIT_SECONDS = 20;
	private static final int MAX_VISIBILITY_SECONDS = 12 * 60 * 60;
	/**
	 * How long dead tasks stay hidden while they are listed or moved. Receiving is the only way to read
	 * a queue, and a message received with a visibility of 0 can come back in the very next receive, so a
	 * listing could never tell when it had seen them all. Hidden for this long, each is received once.
	 */
	private static final int HOLD_SECONDS = 120;
	/** Entries SendMessageBatch reports as failed on the server's side are retried this often. */
	private static final int SEND_ATTEMPTS = 5;
	private static final JsonMapper JSON = new JsonMapper();

	private final SqsClient sqs;
	private final String name;
	private final String url;
	private final String deadName;
	private final String deadUrl;
	private final int maxReceives;
	private final Duration visibility;
	private final int maxMessageBytes;

	private SqsTaskQueue(SqsClient sqs, String name, String url, String deadName, String deadUrl, int maxReceives,
		Duration visibility, int maxMessageBytes)
	{
		this.sqs = sqs;
		this.name = name;
		this.url = url;
		this.deadName = deadName;
		this.deadUrl = deadUrl;
		this.maxReceives = maxReceives;
		this.visibility = visibility;
		this.maxMessageBytes = maxMessageBytes;
	}

	/** The config's queue (SQS_QUEUE_NAME) and dead-letter queue (SQS_DEAD_LETTER_QUEUE), which must exist. */
	public static SqsTaskQueue open(AwsClients aws, Config config) {
		Names names = Names.of(config);
		return open(aws.sqs(), names.queue(), names.deadLetterQueue(), aws.region().id());
	}

	/** Opens existing queues by name; says to run setup when one is missing or has no redrive policy. */
	public static SqsTaskQueue open(SqsClient sqs, String name, String deadName, String region) {
		String url = url(sqs, name, region);
		String deadUrl = url(sqs, deadName, region);
		Map<QueueAttributeName, String> a = attributes(sqs, name, url, QueueAttributeName.VISIBILITY_TIMEOUT,
			QueueAttributeName.REDRIVE_POLICY, QueueAttributeName.MAXIMUM_MESSAGE_SIZE);
		String policy = a.get(QueueAttributeName.REDRIVE_POLICY);
		if (policy == null || policy.isBlank()) {
			throw new ParascopeException("queue " + name + " in " + region + " has no dead-letter queue (no "
				+ "RedrivePolicy), so failing tasks would be retried forever: run 'parascope setup' to configure it");
		}
		JsonNode redrive;
		try {
			redrive = JSON.readTree(policy);
		}
		catch (JsonProcessingException e) {
			throw new ParascopeException("queue " + name + ": its RedrivePolicy is not JSON: " + policy);
		}
		String target = redrive.path("deadLetterTargetArn").asText("");
		String targetName = target.substring(target.lastIndexOf(':') + 1);
		if (!targetName.equals(deadName)) {
			throw new ParascopeException("queue " + name + " sends failed tasks to queue " + targetName
				+ ", but SQS_DEAD_LETTER_QUEUE is " + deadName + ": run 'parascope setup' to apply the config");
		}
		int maxReceives = redrive.path("maxReceiveCount").asInt(0);
		if (maxReceives < 1) throw new ParascopeException("queue " + name + ": RedrivePolicy has no maxReceiveCount: " + policy);
		return new SqsTaskQueue(sqs, name, url, deadName, deadUrl, maxReceives,
			Duration.ofSeconds(Long.parseLong(a.get(QueueAttributeName.VISIBILITY_TIMEOUT))),
			Integer.parseInt(a.getOrDefault(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "262144")));
	}

	public String name() {
		return name;
	}

	public String deadLetterName() {
		return deadName;
	}

	/**
	 * Sends in batches of up to ten (fewer when ten would exceed the queue's MaximumMessageSize, which
	 * also bounds a batch). Throws {@link SendFailure} saying how many were stored before it stopped.
	 */
	@Override
	public void send(List<Task> tasks) {
		int stored = 0;
		List<String> batch = new ArrayList<>(BATCH);
		int bytes = 0;
		for (Task task : tasks) {
			String body = TaskMessage.encode(task);
			int size = body.getBytes(StandardCharsets.UTF_8).length;
			if (size > maxMessageBytes) {
				throw new SendFailure("task " + task.label() + ": its message is " + size + " bytes; queue " + name
					+ " takes at most " + maxMessageBytes + " (MaximumMessageSize)", stored, 0, null);
			}
			if (batch.size() == BATCH || bytes + size > maxMessageBytes) {
				stored += sendBatch(batch, stored);
				batch.clear();
				bytes = 0;
			}
			batch.add(body);
			bytes += size;
		}
		if (!batch.isEmpty()) sendBatch(batch, stored);
	}

	/** Sends one batch to the queue; returns its size. {@code before}: tasks of this send stored already. */
	private int sendBatch(List<String> bodies, int before) {
		try {
			sendBatch(url, name, bodies, new boolean[bodies.size()]);
			return bodies.size();
		}
		catch (SendFailure f) {
			throw new SendFailure(f.getMessage(), before + f.stored(), f.unknown(), f.getCause());
		}
	}

	/**
	 * Sends up to ten bodies; entries that fail on the server's side are retried (only those), entries
	 * the server refuses as malformed are not. Marks in {@code stored} what was confirmed.
	 */
	private void sendBatch(String toUrl, String toName, List<String> bodies, boolean[] stored) {
		List<SendMessageBatchRequestEntry> pending = new ArrayList<>(bodies.size());
		for (int i = 0; i < bodies.size(); i++) {
			pending.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(bodies.get(i)).build());
		}
		String doing = "sending tasks to queue " + toName;
		for (int attempt = 1;; attempt++) {
			List<SendMessageBatchRequestEntry> entries = pending;
			SendMessageBatchResponse response;
			try {
				response = sqs.sendMessageBatch(b -> b.queueUrl(toUrl).entries(entries));
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

	@Override
	public Optional<Delivery> receive(Duration wait) {
		long deadline = System.nanoTime() + wait.toNanos();
		try {
			while (true) {
				int seconds = (int) Math.min(MAX_WAIT_SECONDS, ceilSeconds(deadline - System.nanoTime()));
				List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(1)
					.waitTimeSeconds(seconds)
					.messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
				for (Message m : messages) {
					Optional<Delivery> delivery = delivery(m);
					if (delivery.isPresent()) return delivery;
				}
				if (deadline - System.nanoTime() <= 0) return Optional.empty();
			}
		}
		catch (SdkException e) {
			if (interrupted(e)) {
				Thread.currentThread().interrupt();
				return Optional.empty();
			}
			throw AwsErrors.failure("receiving a task from queue " + name, e);
		}
	}

	/**
	 * A message that is not a task body (something else wrote to the queue) is left where it is: it
	 * comes back after each visibility timeout, and the redrive policy moves it to the dead-letter
	 * queue, where retry-failed and the console show it.
	 */
	private static Optional<Delivery> delivery(Message m) {
		Task task;
		try {
			task = TaskMessage.decode(m.body());
		}
		catch (ParascopeException notATask) {
			return Optional.empty();
		}
		String count = m.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1");
		return Optional.of(new Delivery(task, m.receiptHandle(), Integer.parseInt(count)));
	}

	@Override
	public void extendVisibility(Delivery delivery, Duration newVisibility) {
		changeVisibility(delivery, newVisibility, "extending the visibility of task " + delivery.task().label());
	}

	@Override
	public void release(Delivery delivery, Duration delay) {
		changeVisibility(delivery, delay, "releasing task " + delivery.task().label());
	}

	private void changeVisibility(Delivery delivery, Duration fromNow, String doing) {
		int seconds = (int) Math.min(MAX_VISIBILITY_SECONDS, ceilSeconds(fromNow.toNanos()));
		try {
			sqs.changeMessageVisibility(r -> r.queueUrl(url).receiptHandle(delivery.receipt()).visibilityTimeout(seconds));
		}
		catch (SdkException e) {
			// A stale receipt: the task was received again or deleted since; nothing is left to change.
			if (!staleReceipt(e)) throw AwsErrors.failure(doing + " in queue " + name, e);
		}
	}

	@Override
	public void delete(Delivery delivery) {
		try {
			sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(delivery.receipt()));
		}
		catch (SdkException e) {
			// A stale receipt: deleted already.
			if (!staleReceipt(e)) throw AwsErrors.failure("deleting task " + delivery.task().label() + " from queue " + name, e);
		}
	}

	/**
	 * SQS's approximate counts. Dead counts hidden messages too: a listing or a retry-failed in progress
	 * hides dead tasks for a while, and they are dead all the same.
	 */
	@Override
	public QueueCounts counts() {
		Map<QueueAttributeName, String> main = attributes(sqs, name, url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
			QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
			QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED);
		Map<QueueAttributeName, String> dead = attributes(sqs, deadName, deadUrl,
			QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE);
		return new QueueCounts(
			number(main, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)
				+ number(main, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED),
			number(main, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE),
			number(dead, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)
				+ number(dead, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
	}

	/**
	 * Lists the dead-letter queue without consuming it: every message is received once (hidden for a
	 * while, see {@link #HOLD_SECONDS}) and made visible again at once.
	 */
	@Override
	public List<Task> deadTasks() {
		List<Message> held = new ArrayList<>();
		try {
			for (List<Message> batch = holdDead(); !batch.isEmpty(); batch = holdDead()) held.addAll(batch);
			return tasks(held);
		}
		finally {
			unhold(held);
		}
	}

	/**
	 * Moves the dead-letter queue's messages back, ten at a time: each batch is sent to the queue (new
	 * messages, so their receive count starts again) and only then deleted from the dead-letter queue. A
	 * failure leaves every task in one queue or the other (at worst in both, when a delete fails).
	 */
	@Override
	public List<Task> redriveDead() {
		List<Task> moved = new ArrayList<>();
		for (List<Message> batch = holdDead(); !batch.isEmpty(); batch = holdDead()) {
			boolean[] sent = new boolean[batch.size()];
			try {
				sendBatch(url, name, batch.stream().map(Message::body).toList(), sent);
			}
			catch (SendFailure f) {
				List<Message> notSent = new ArrayList<>();
				for (int i = 0; i < sent.length; i++) if (!sent[i]) notSent.add(batch.get(i));
				deleteDead(batch, sent, moved.size());
				unhold(notSent);
				throw new ParascopeException("moved " + (moved.size() + count(sent)) + " dead task(s) back to queue "
					+ name + ", then: " + f.getMessage() + "; the others are still in " + deadName, f);
			}
			deleteDead(batch, sent, moved.size());
			moved.addAll(tasks(batch));
		}
		return moved;
	}

	/** Receives up to ten dead messages, hiding them while they are handled; empty when none are left. */
	private List<Message> holdDead() {
		try {
			return sqs.receiveMessage(r -> r.queueUrl(deadUrl).maxNumberOfMessages(BATCH).visibilityTimeout(HOLD_SECONDS)
				// A long poll asks every SQS server, so an empty answer means the queue is empty.
				.waitTimeSeconds(1)).messages();
		}
		catch (SdkException e) {
			throw AwsErrors.failure("reading dead-letter queue " + deadName, e);
		}
	}

	/** Makes held dead messages visible again; best effort, as they reappear on their own anyway. */
	private void unhold(List<Message> held) {
		for (int i = 0; i < held.size(); i += BATCH) {
			List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
			for (int j = i; j < Math.min(held.size(), i + BATCH); j++) {
				entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(j - i))
					.receiptHandle(held.get(j).receiptHandle()).visibilityTimeout(0).build());
			}
			try {
				sqs.changeMessageVisibilityBatch(b -> b.queueUrl(deadUrl).entries(entries));
			}
			catch (SdkException e) {
				return;
			}
		}
	}

	private void deleteDead(List<Message> batch, boolean[] sent, int movedBefore) {
		List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
		for (int i = 0; i < sent.length; i++) {
			if (sent[i]) entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
				.receiptHandle(batch.get(i).receiptHandle()).build());
		}
		if (entries.isEmpty()) return;
		String problem;
		try {
			DeleteMessageBatchResponse r = sqs.deleteMessageBatch(b -> b.queueUrl(deadUrl).entries(entries));
			if (r.failed().isEmpty()) return;
			problem = r.failed().size() + " could not be deleted (" + r.failed().get(0).code() + ": "
				+ r.failed().get(0).message() + ")";
		}
		catch (SdkException e) {
			problem = AwsErrors.explain(e);
		}
		throw new ParascopeException("moved " + (movedBefore + entries.size()) + " dead task(s) back to queue " + name
			+ ", but removing them from " + deadName + " failed: " + problem
			+ "; those tasks are in both queues now and may run twice");
	}

	/** The tasks of messages that are task bodies (others are moved and counted, but cannot be listed). */
	private static List<Task> tasks(List<Message> messages) {
		List<Task> tasks = new ArrayList<>(messages.size());
		for (Message m : messages) delivery(m).ifPresent(d -> tasks.add(d.task()));
		return tasks;
	}

	@Override
	public int maxReceives() {
		return maxReceives;
	}

	@Override
	public Duration visibility() {
		return visibility;
	}

	private static String url(SqsClient sqs, String queue, String region) {
		try {
			return sqs.getQueueUrl(r -> r.queueName(queue)).queueUrl();
		}
		catch (SdkException e) {
			if (missingQueue(e)) {
				throw new ParascopeException("queue " + queue + " does not exist in " + region + ": run 'parascope setup' first");
			}
			throw AwsErrors.failure("looking up queue " + queue + " in " + region, e);
		}
	}

	private static Map<QueueAttributeName, String> attributes(SqsClient sqs, String queue, String url,
		QueueAttributeName... names)
	{
		try {
			return sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(names)).attributes();
		}
		catch (SdkException e) {
			if (missingQueue(e)) throw new ParascopeException("queue " + queue + " does not exist (any more): run 'parascope setup' first");
			throw AwsErrors.failure("reading the attributes of queue " + queue, e);
		}
	}

	private static long number(Map<QueueAttributeName, String> attributes, QueueAttributeName name) {
		String value = attributes.get(name);
		return value == null ? 0 : Long.parseLong(value);
	}

	private static long ceilSeconds(long nanos) {
		return nanos <= 0 ? 0 : (nanos + 999_999_999L) / 1_000_000_000L;
	}

	private static int count(boolean[] flags) {
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
	private static boolean missingQueue(SdkException e) {
		return e instanceof QueueDoesNotExistException
			|| Set.of("AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist").contains(errorCode(e));
	}

	/** The receipt belongs to an earlier receive of a message that is gone or was received again. */
	private static boolean staleReceipt(SdkException e) {
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

	private static boolean interrupted(SdkException e) {
		if (e instanceof AbortedException || Thread.currentThread().isInterrupted()) return true;
		for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
			if (t instanceof InterruptedException) return true;
		}
		return false;
	}
}
