package org.parascope.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.UUID;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.parascope.job.Task;
import org.parascope.job.TaskMessage;

/**
 * An in-memory queue with the semantics of SQS plus a redrive policy. Tasks are stored as their
 * message bodies, so a local run goes through the same encoding as a cloud run.
 */
public final class LocalTaskQueue implements TaskQueue {

	private static final class Message {
		final String body;
		final long sequence;
		int receiveCount;
		Instant visibleAt;
		String receipt;

		Message(String body, long sequence, Instant visibleAt) {
			this.body = body;
			this.sequence = sequence;
			this.visibleAt = visibleAt;
		}
	}

	private final int maxReceives;
	private final Duration visibility;
	private final ReentrantLock lock = new ReentrantLock();
	private final Condition changed = lock.newCondition();
	/** Every live message, earliest visible first (ties: first sent first). */
	private final PriorityQueue<Message> messages = new PriorityQueue<>(
		Comparator.comparing((Message m) -> m.visibleAt).thenComparingLong(m -> m.sequence));
	private final Map<String, Message> byReceipt = new HashMap<>();
	private final List<String> dead = new ArrayList<>();
	private long sequence;

	public LocalTaskQueue(int maxReceives, Duration visibility) {
		if (maxReceives < 1) throw new IllegalArgumentException("maxReceives must be at least 1");
		this.maxReceives = maxReceives;
		this.visibility = visibility;
	}

	@Override
	public Sent send(List<Task> tasks) {
		List<String> bodies = tasks.stream().map(TaskMessage::encode).toList();
		lock.lock();
		try {
			Instant now = Instant.now();
			for (String body : bodies) messages.add(new Message(body, sequence++, now));
			changed.signalAll();
		}
		finally {
			lock.unlock();
		}
		return Sent.allConfirmed(tasks.size());
	}

	@Override
	public Optional<Delivery> receive(Duration wait) {
		long deadline = System.nanoTime() + wait.toNanos();
		lock.lock();
		try {
			while (true) {
				Instant now = Instant.now();
				Message next = messages.peek();
				while (next != null && !next.visibleAt.isAfter(now)) {
					messages.poll();
					if (next.receipt != null) byReceipt.remove(next.receipt);
					// SQS moves a message to the dead-letter queue when a receive would exceed
					// maxReceiveCount: it has already been received maxReceives times.
					if (next.receiveCount >= maxReceives) {
						dead.add(next.body);
						next = messages.peek();
						continue;
					}
					next.receiveCount++;
					next.receipt = UUID.randomUUID().toString();
					next.visibleAt = now.plus(visibility);
					messages.add(next);
					byReceipt.put(next.receipt, next);
					return Optional.of(new Delivery(TaskMessage.decode(next.body), next.receipt, next.receiveCount));
				}
				long left = deadline - System.nanoTime();
				if (left <= 0) return Optional.empty();
				// Wake when the earliest hidden message becomes visible, or when something changes.
				long untilVisible = next == null ? left
					: Math.max(1, Duration.between(now, next.visibleAt).toNanos());
				changed.awaitNanos(Math.min(left, untilVisible));
			}
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return Optional.empty();
		}
		finally {
			lock.unlock();
		}
	}

	@Override
	public void extendVisibility(Delivery delivery, Duration newVisibility) {
		reschedule(delivery, newVisibility);
	}

	@Override
	public void release(Delivery delivery, Duration delay) {
		reschedule(delivery, delay);
	}

	private void reschedule(Delivery delivery, Duration fromNow) {
		lock.lock();
		try {
			Message m = byReceipt.get(delivery.receipt());
			if (m == null) return; // stale receipt: the task was re-received or deleted since
			messages.remove(m);
			m.visibleAt = Instant.now().plus(fromNow);
			messages.add(m);
			changed.signalAll();
		}
		finally {
			lock.unlock();
		}
	}

	@Override
	public void delete(Delivery delivery) {
		lock.lock();
		try {
			Message m = byReceipt.remove(delivery.receipt());
			if (m != null) messages.remove(m);
			changed.signalAll();
		}
		finally {
			lock.unlock();
		}
	}

	@Override
	public QueueCounts counts() {
		lock.lock();
		try {
			Instant now = Instant.now();
			long waiting = messages.stream().filter(m -> !m.visibleAt.isAfter(now)).count();
			return new QueueCounts(waiting, messages.size() - waiting, dead.size());
		}
		finally {
			lock.unlock();
		}
	}

	@Override
	public List<Task> deadTasks() {
		lock.lock();
		try {
			return dead.stream().map(TaskMessage::decode).toList();
		}
		finally {
			lock.unlock();
		}
	}

	@Override
	public List<Task> redriveDead() {
		lock.lock();
		try {
			List<Task> moved = dead.stream().map(TaskMessage::decode).toList();
			Instant now = Instant.now();
			for (String body : dead) messages.add(new Message(body, sequence++, now));
			dead.clear();
			changed.signalAll();
			return moved;
		}
		finally {
			lock.unlock();
		}
	}

	@Override
	public int maxReceives() {
		return maxReceives;
	}

	@Override
	public Duration visibility() {
		return visibility;
	}
}
