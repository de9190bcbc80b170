package org.parascope.aws.queue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.parascope.ParascopeException;
import org.parascope.aws.AwsClients;
import org.parascope.aws.AwsErrors;
import org.parascope.aws.Names;
import org.parascope.config.Config;
import org.parascope.job.Task;
import org.parascope.job.TaskMessage;
import org.parascope.queue.Delivery;
import org.parascope.queue.QueueCounts;
import org.parascope.queue.SendFailure;
import org.parascope.queue.Sent.Fate;
import org.parascope.queue.Sent;
import org.parascope.queue.TaskQueue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The task queue on Amazon SQS: a queue whose RedrivePolicy moves a task to the dead-letter queue
 * once it has been received maxReceiveCount times. Both queues are created by {@code parascope setup};
 * the receive limit and the visibility timeout are read from the queue itself, so they are what SQS
 * really applies.
 */
public final class SqsTaskQueue implements TaskQueue {

	/** The longest long poll SQS allows. */
	private static final int MAX_WAIT_SECONDS = 20;
	private static final int MAX_VISIBILITY_SECONDS = 12 * 60 * 60;
	private static final JsonMapper JSON = new JsonMapper();

	private final SqsQueue queue;
	private final SqsQueue dead;
	private final int maxReceives;
	private final Duration visibility;
	private final int maxMessageBytes;
	private final Consumer<String> notes;
	private final Duration sendAttemptTimeout;
	private final SqsSends sends;

	private SqsTaskQueue(SqsQueue queue, SqsQueue dead, int maxReceives, Duration visibility, int maxMessageBytes,
		Consumer<String> notes, Duration sendAttemptTimeout) {
		this.queue = queue;
		this.dead = dead;
		this.maxReceives = maxReceives;
		this.visibility = visibility;
		this.maxMessageBytes = maxMessageBytes;
		this.notes = notes;
		this.sendAttemptTimeout = sendAttemptTimeout;
		this.sends = new SqsSends(queue, sendAttemptTimeout);
	}

	/** The same queue, telling {@code notes} about messages that are not tasks (by default: standard error). */
	public SqsTaskQueue reportingTo(Consumer<String> notes) {
		return new SqsTaskQueue(queue, dead, maxReceives, visibility, maxMessageBytes, notes, sendAttemptTimeout);
	}

	/**
	 * The same queue, giving up on one SendMessageBatch attempt after {@code timeout} instead of 30 s
	 * (then it counts as unanswered and is tried again): for tests that make the queue slow on purpose.
	 */
	public SqsTaskQueue sendAttemptTimeout(Duration timeout) {
		return new SqsTaskQueue(queue, dead, maxReceives, visibility, maxMessageBytes, notes, timeout);
	}

	/** The config's queue (SQS_QUEUE_NAME) and dead-letter queue (SQS_DEAD_LETTER_QUEUE), which must exist. */
	public static SqsTaskQueue open(AwsClients aws, Config config) {
		Names names = Names.of(config);
		return open(aws.sqs(), names.queue(), names.deadLetterQueue(), aws.region().id());
	}

	/** Opens existing queues by name; says to run setup when one is missing or has no redrive policy. */
	public static SqsTaskQueue open(SqsClient sqs, String name, String deadName, String region) {
		SqsQueue queue = SqsQueue.find(sqs, name, region);
		SqsQueue dead = SqsQueue.find(sqs, deadName, region);
		Map<QueueAttributeName, String> a = queue.attributes(QueueAttributeName.VISIBILITY_TIMEOUT,
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
		return new SqsTaskQueue(queue, dead, maxReceives,
			Duration.ofSeconds(Long.parseLong(a.get(QueueAttributeName.VISIBILITY_TIMEOUT))),
			Integer.parseInt(a.getOrDefault(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "262144")),
			note -> System.err.println("parascope: " + note), SqsSends.ATTEMPT_TIMEOUT);
	}

	public String name() {
		return queue.name();
	}

	public String deadLetterName() {
		return dead.name();
	}

	/**
	 * Sends in batches of up to ten (fewer when ten would exceed the queue's MaximumMessageSize, which
	 * also bounds a batch), each with {@link SqsSends}' retries. Says what became of each task; throws
	 * {@link SendFailure} saying the same when one could not be confirmed (later batches are not sent).
	 */
	@Override
	public Sent send(List<Task> tasks) {
		Fate[] fates = new Fate[tasks.size()];
		Arrays.fill(fates, Fate.NOT_SENT);
		int[] unanswered = { 0 };
		List<String> batch = new ArrayList<>(SqsQueue.BATCH);
		int first = 0;
		int bytes = 0;
		for (int i = 0; i < tasks.size(); i++) {
			Task task = tasks.get(i);
			String body = TaskMessage.encode(task);
			int size = body.getBytes(StandardCharsets.UTF_8).length;
			if (size > maxMessageBytes) {
				throw new SendFailure("task " + task.label() + ": its message is " + size + " bytes; queue " + queue.name()
					+ " takes at most " + maxMessageBytes + " (MaximumMessageSize)", new Sent(fates, unanswered[0]), null);
			}
			if (batch.size() == SqsQueue.BATCH || bytes + size > maxMessageBytes) {
				sendBatch(batch, first, fates, unanswered);
				first = i;
				batch.clear();
				bytes = 0;
			}
			batch.add(body);
			bytes += size;
		}
		if (!batch.isEmpty()) sendBatch(batch, first, fates, unanswered);
		return new Sent(fates, unanswered[0]);
	}

	/** Sends one batch, the tasks from {@code first} on; writes their fates, also when it fails. */
	private void sendBatch(List<String> bodies, int first, Fate[] fates, int[] unanswered) {
		Sent sent;
		try {
			sent = sends.send(bodies);
		}
		catch (SendFailure f) {
			record(f.sent(), first, fates, unanswered);
			throw new SendFailure(f.getMessage(), new Sent(fates, unanswered[0]), f.getCause());
		}
		record(sent, first, fates, unanswered);
	}

	private static void record(Sent sent, int first, Fate[] fates, int[] unanswered) {
		for (int i = 0; i < sent.size(); i++) fates[first + i] = sent.fate(i);
		unanswered[0] += sent.unansweredRequests();
	}

	@Override
	public Optional<Delivery> receive(Duration wait) {
		long deadline = System.nanoTime() + wait.toNanos();
		try {
			while (true) {
				int seconds = (int) Math.min(MAX_WAIT_SECONDS, ceilSeconds(deadline - System.nanoTime()));
				List<Message> messages = queue.sqs().receiveMessage(r -> r.queueUrl(queue.url()).maxNumberOfMessages(1)
					.waitTimeSeconds(seconds)
					.messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
				// Not a task: the loop asks again, so that one stray message does not idle a worker.
				for (Message m : messages) {
					Optional<Delivery> delivery = delivery(m);
					if (delivery.isPresent()) return delivery;
				}
				if (deadline - System.nanoTime() <= 0) return Optional.empty();
			}
		}
		catch (SdkException e) {
			if (SqsQueue.interrupted(e)) {
				Thread.currentThread().interrupt();
				return Optional.empty();
			}
			throw AwsErrors.failure("receiving a task from queue " + queue.name(), e);
		}
	}

	/**
	 * A message that is not a task body (something else wrote to the queue, or a format this worker
	 * does not know) is said so, naming it, and made visible again at once without being deleted: after
	 * JOB_RETRIES receives the redrive policy moves it to the dead-letter queue, where the AWS console
	 * and 'parascope status' show it. No worker ever runs it, and none is stuck on it.
	 */
	private Optional<Delivery> delivery(Message m) {
		String count = m.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1");
		Task task;
		try {
			task = TaskMessage.decode(m.body());
		}
		catch (ParascopeException notATask) {
			notes.accept("queue " + queue.name() + ": message " + m.messageId() + " is not a task, skipped (receive "
				+ count + " of " + maxReceives + ", then it goes to the dead-letter queue " + dead.name() + "): "
				+ notATask.getMessage().replace('\n', ' '));
			try {
				queue.sqs().changeMessageVisibility(r -> r.queueUrl(queue.url()).receiptHandle(m.receiptHandle())
					.visibilityTimeout(0));
			}
			catch (SdkException e) {
				// Then it comes back after the visibility timeout instead: slower, the same end.
				if (SqsQueue.interrupted(e)) Thread.currentThread().interrupt();
			}
			return Optional.empty();
		}
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
			queue.sqs().changeMessageVisibility(r -> r.queueUrl(queue.url()).receiptHandle(delivery.receipt())
				.visibilityTimeout(seconds));
		}
		catch (SdkException e) {
			// A stale receipt: the task was received again or deleted since; nothing is left to change.
			if (!SqsQueue.staleReceipt(e)) throw AwsErrors.failure(doing + " in queue " + queue.name(), e);
		}
	}

	@Override
	public void delete(Delivery delivery) {
		try {
			queue.sqs().deleteMessage(r -> r.queueUrl(queue.url()).receiptHandle(delivery.receipt()));
		}
		catch (SdkException e) {
			// A stale receipt: deleted already.
			if (!SqsQueue.staleReceipt(e)) {
				throw AwsErrors.failure("deleting task " + delivery.task().label() + " from queue " + queue.name(), e);
			}
		}
	}

	/**
	 * SQS's approximate counts. Dead counts hidden messages too: a listing or a retry-failed in progress
	 * hides dead tasks for a while, and they are dead all the same.
	 */
	@Override
	public QueueCounts counts() {
		Map<QueueAttributeName, String> main = queue.attributes(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
			QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
			QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED);
		Map<QueueAttributeName, String> failed = dead.attributes(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
			QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE);
		return new QueueCounts(
			SqsQueue.number(main, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)
				+ SqsQueue.number(main, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED),
			SqsQueue.number(main, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE),
			SqsQueue.number(failed, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)
				+ SqsQueue.number(failed, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
	}

	/** Lists the dead-letter queue without consuming it (see {@link DeadLetters}). */
	@Override
	public List<Task> deadTasks() {
		return new DeadLetters(dead, queue, sends, notes).list();
	}

	/** Moves the dead-letter queue's tasks back; never loses one (see {@link DeadLetters}). */
	@Override
	public List<Task> redriveDead() {
		return new DeadLetters(dead, queue, sends, notes).redrive();
	}

	@Override
	public int maxReceives() {
		return maxReceives;
	}

	@Override
	public Duration visibility() {
		return visibility;
	}

	private static long ceilSeconds(long nanos) {
		return nanos <= 0 ? 0 : (nanos + 999_999_999L) / 1_000_000_000L;
	}
}
