package org.parascope.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.parascope.job.Engine;
import org.parascope.job.Task;

/**
 * What every TaskQueue must do, whatever is behind it: subclasses give a fresh, empty queue.
 * Timing-based checks use a short visibility and generous waits, never asserting durations.
 */
public abstract class TaskQueueContract {

	protected static final Duration VISIBILITY = Duration.ofSeconds(2);
	private static final Duration WAIT = Duration.ofSeconds(5);

	/** A new empty queue that dead-letters after {@code maxReceives} receives. */
	protected abstract TaskQueue newQueue(int maxReceives, Duration visibility);

	/**
	 * Whether the queue never hands one task to two receivers. SQS standard queues promise only
	 * at-least-once delivery, so their test allows a repeat, which the worker's CHECK_IF_DONE skips.
	 */
	protected boolean deliversEachTaskOnce() {
		return true;
	}

	public static Task task(int i) {
		return new Task(Integer.toString(i), Engine.FIJI, "macro.ijm", Map.of("image", "img" + i), Map.of(),
			List.of("images/img" + i + ".png"), null, null, "out/img" + i);
	}

	@Test
	void aSentTaskIsReceivedWholeAndDeletedForGood() {
		TaskQueue q = newQueue(3, VISIBILITY);
		q.send(List.of(task(1)));
		Delivery d = q.receive(WAIT).orElseThrow();
		assertEquals(task(1), d.task());
		assertEquals(1, d.receiveCount());
		q.delete(d);
		assertTrue(q.receive(Duration.ofSeconds(1)).isEmpty());
		assertEquals(new QueueCounts(0, 0, 0), q.counts());
	}

	@Test
	void aReceivedTaskIsHiddenUntilItsVisibilityRunsOut() {
		TaskQueue q = newQueue(5, VISIBILITY);
		q.send(List.of(task(1)));
		Delivery first = q.receive(WAIT).orElseThrow();
		assertTrue(q.receive(Duration.ofMillis(500)).isEmpty(), "hidden while in flight");
		assertEquals(1, q.counts().inFlight());
		Delivery again = q.receive(WAIT).orElseThrow();
		assertEquals(first.task(), again.task());
		assertEquals(2, again.receiveCount());
	}

	@Test
	void extendingVisibilityKeepsATaskHidden() throws InterruptedException {
		TaskQueue q = newQueue(5, VISIBILITY);
		q.send(List.of(task(1)));
		Delivery d = q.receive(WAIT).orElseThrow();
		q.extendVisibility(d, Duration.ofSeconds(10));
		Thread.sleep(VISIBILITY.toMillis() + 1000);
		assertTrue(q.receive(Duration.ofSeconds(1)).isEmpty(), "still hidden after the first timeout");
		q.delete(d);
		assertTrue(q.counts().drained());
	}

	@Test
	void aReleasedTaskComesBackAtOnce() {
		TaskQueue q = newQueue(5, Duration.ofSeconds(30));
		q.send(List.of(task(1)));
		q.release(q.receive(WAIT).orElseThrow(), Duration.ZERO);
		Delivery again = q.receive(WAIT).orElseThrow();
		assertEquals(2, again.receiveCount());
	}

	@Test
	void aTaskReceivedMaxReceivesTimesIsDeadLetteredAndCanBeMovedBack() {
		TaskQueue q = newQueue(2, Duration.ofSeconds(30));
		q.send(List.of(task(1), task(2)));
		Delivery good = null;
		for (int i = 0; i < 3; i++) {
			Delivery d = q.receive(WAIT).orElseThrow();
			if (d.task().equals(task(2))) good = d;
			else q.release(d, Duration.ZERO);
		}
		// task 1 was received twice and released twice; the next receive dead-letters it.
		Optional<Delivery> next = q.receive(Duration.ofSeconds(2));
		assertTrue(next.isEmpty(), "nothing but the dead task was left: " + next);
		q.delete(good);
		assertEquals(List.of(task(1)), q.deadTasks());
		assertEquals(1, q.counts().dead());

		assertEquals(List.of(task(1)), q.redriveDead());
		Delivery back = q.receive(WAIT).orElseThrow();
		assertEquals(task(1), back.task());
		assertEquals(1, back.receiveCount(), "a moved-back task starts counting again");
		assertEquals(0, q.counts().dead());
	}

	/**
	 * Four receivers take tasks until the queue is drained. A queue that delivers at least once may hand
	 * a task out twice, or again after its delete; it must still reach every task and end empty.
	 */
	@Test
	void everyTaskReachesOneOfManyConcurrentReceiversAndTheQueueDrains() throws Exception {
		TaskQueue q = newQueue(3, Duration.ofSeconds(10));
		List<Task> tasks = new ArrayList<>();
		for (int i = 0; i < 45; i++) tasks.add(task(i));
		for (int i = 0; i < tasks.size(); i += 10) q.send(tasks.subList(i, Math.min(tasks.size(), i + 10)));
		assertEquals(45, q.counts().waiting());

		Set<Task> received = ConcurrentHashMap.newKeySet();
		List<Task> repeats = Collections.synchronizedList(new ArrayList<>());
		ExecutorService pool = Executors.newFixedThreadPool(4);
		List<Future<?>> receivers = new ArrayList<>();
		for (int w = 0; w < 4; w++) {
			receivers.add(pool.submit(() -> {
				// Only an empty receive asks whether anything is left: a task may still come back.
				while (true) {
					Optional<Delivery> d = q.receive(Duration.ofSeconds(1));
					if (d.isPresent()) {
						if (!received.add(d.get().task())) repeats.add(d.get().task());
						q.delete(d.get());
					}
					else if (q.counts().drained()) return;
				}
			}));
		}
		pool.shutdown();
		assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS), "not drained within 60 s: " + q.counts());
		for (Future<?> r : receivers) r.get(); // a receiver's own failure, if any
		assertEquals(Set.copyOf(tasks), received);
		if (deliversEachTaskOnce()) assertEquals(List.of(), repeats, "tasks handed out twice");
		assertEquals(new QueueCounts(0, 0, 0), q.counts());
	}

	@Test
	void anEmptyReceiveWaitsThenReturnsNothing() {
		TaskQueue q = newQueue(3, VISIBILITY);
		assertTrue(q.receive(Duration.ofMillis(300)).isEmpty());
	}
}
