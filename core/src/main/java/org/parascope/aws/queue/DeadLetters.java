package org.parascope.aws.queue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import org.parascope.ParascopeException;
import org.parascope.aws.AwsErrors;
import org.parascope.job.Task;
import org.parascope.job.TaskMessage;
import org.parascope.queue.SendFailure;
import org.parascope.queue.Sent.Fate;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The dead-letter queue of a task queue: listing it without consuming it, and moving its tasks back.
 *
 * <p>Receiving is the only way to read an SQS queue. A message received with a visibility timeout of 0
 * can come back in the very next receive, so a listing could never tell when it had seen every one;
 * instead each is received hidden for {@link #HOLD_SECONDS} (so it is seen once) and made visible
 * again as soon as the listing ends.
 */
final class DeadLetters {

	/** Long enough to list or move thousands of dead tasks; they reappear on their own after it. */
	private static final int HOLD_SECONDS = 120;

	private final SqsQueue dead;
	private final SqsQueue queue;
	private final SqsSends sends;
	private final Consumer<String> notes;

	/**
	 * @param sends sends to {@code queue}
	 * @param notes told of each message that is not a task, which a list of tasks cannot show
	 */
	DeadLetters(SqsQueue dead, SqsQueue queue, SqsSends sends, Consumer<String> notes) {
		this.dead = dead;
		this.queue = queue;
		this.sends = sends;
		this.notes = notes;
	}

	List<Task> list() {
		List<Message> held = new ArrayList<>();
		try {
			for (List<Message> batch = hold(); !batch.isEmpty(); batch = hold()) held.addAll(batch);
			return tasks(held, "left there");
		}
		finally {
			unhold(held);
		}
	}

	/**
	 * Moves the messages back ten at a time: each batch is sent to the queue (new messages, so their
	 * receive count starts again) and only then deleted here. A failure leaves every task in one queue or
	 * the other (in both, if a delete fails: then it says so).
	 */
	List<Task> redrive() {
		List<Task> moved = new ArrayList<>();
		for (List<Message> batch = hold(); !batch.isEmpty(); batch = hold()) {
			boolean[] sent = new boolean[batch.size()];
			try {
				sends.send(batch.stream().map(Message::body).toList());
				Arrays.fill(sent, true);
			}
			catch (SendFailure f) {
				// Only what the queue confirmed leaves the dead-letter queue: nothing is lost, at worst in both.
				List<Message> notSent = new ArrayList<>();
				int confirmed = 0;
				for (int i = 0; i < sent.length; i++) {
					sent[i] = f.sent().fate(i) == Fate.CONFIRMED || f.sent().fate(i) == Fate.POSSIBLY_DUPLICATED;
					if (sent[i]) confirmed++;
					else notSent.add(batch.get(i));
				}
				delete(batch, sent, moved.size());
				unhold(notSent);
				throw new ParascopeException("moved " + (moved.size() + confirmed) + " dead task(s) back to queue "
					+ queue.name() + ", then: " + f.getMessage() + "; the others are still in " + dead.name()
					+ (f.unknown() > 0 ? " (" + f.unknown() + " of them went unanswered and may be in " + queue.name()
						+ " as well: they may run twice)" : ""), f);
			}
			delete(batch, sent, moved.size());
			moved.addAll(tasks(batch, "moved back with the tasks"));
		}
		return moved;
	}

	/** Receives up to ten messages, hidden while they are handled; empty when none are left. */
	private List<Message> hold() {
		try {
			return dead.sqs().receiveMessage(r -> r.queueUrl(dead.url()).maxNumberOfMessages(SqsQueue.BATCH)
				// A long poll asks every SQS server, so an empty answer means the queue is empty.
				.visibilityTimeout(HOLD_SECONDS).waitTimeSeconds(1)).messages();
		}
		catch (SdkException e) {
			throw AwsErrors.failure("reading dead-letter queue " + dead.name(), e);
		}
	}

	/** Makes held messages visible again; best effort, as they reappear on their own anyway. */
	private void unhold(List<Message> held) {
		for (int i = 0; i < held.size(); i += SqsQueue.BATCH) {
			List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
			for (int j = i; j < Math.min(held.size(), i + SqsQueue.BATCH); j++) {
				entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(j - i))
					.receiptHandle(held.get(j).receiptHandle()).visibilityTimeout(0).build());
			}
			try {
				dead.sqs().changeMessageVisibilityBatch(b -> b.queueUrl(dead.url()).entries(entries));
			}
			catch (SdkException e) {
				return;
			}
		}
	}

	private void delete(List<Message> batch, boolean[] sent, int movedBefore) {
		List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
		for (int i = 0; i < sent.length; i++) {
			if (sent[i]) entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
				.receiptHandle(batch.get(i).receiptHandle()).build());
		}
		if (entries.isEmpty()) return;
		String problem;
		try {
			DeleteMessageBatchResponse r = dead.sqs().deleteMessageBatch(b -> b.queueUrl(dead.url()).entries(entries));
			if (r.failed().isEmpty()) return;
			problem = r.failed().size() + " could not be deleted (" + r.failed().get(0).code() + ": "
				+ r.failed().get(0).message() + ")";
		}
		catch (SdkException e) {
			problem = AwsErrors.explain(e);
		}
		throw new ParascopeException("moved " + (movedBefore + entries.size()) + " dead task(s) back to queue " + queue.name()
			+ ", but removing them from " + dead.name() + " failed: " + problem
			+ "; those tasks are in both queues now and may run twice");
	}

	/**
	 * The tasks of messages that are task bodies. Others (something else wrote to the queue) are handled
	 * like the rest and told to {@code notes}, each by its id, so that a report says exactly what moved.
	 */
	private List<Task> tasks(List<Message> messages, String handled) {
		List<Task> tasks = new ArrayList<>(messages.size());
		for (Message m : messages) {
			try {
				tasks.add(TaskMessage.decode(m.body()));
			}
			catch (ParascopeException notATask) {
				notes.accept("message " + m.messageId() + " of " + dead.name() + " is not a task (" + notATask.getMessage()
					.lines().findFirst().orElse("") + "): " + handled);
			}
		}
		return tasks;
	}
}
