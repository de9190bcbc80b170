package org.parascope.queue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.parascope.job.Task;

/**
 * A queue of tasks with SQS semantics: a received task is hidden for the visibility timeout, comes
 * back if it is not deleted in time, and goes to the dead-letter side once it has been received
 * {@link #maxReceives()} times without being deleted.
 */
public interface TaskQueue {

	/**
	 * Sends every task; returns once all are stored, saying which may have been stored twice (a
	 * request retried after its answer was lost). Throws {@link SendFailure} when one could not be.
	 */
	Sent send(List<Task> tasks);

	/** Waits up to {@code wait} for a task; hides it for the visibility timeout. */
	Optional<Delivery> receive(Duration wait);

	/** Keeps a task hidden for {@code visibility} from now: the heartbeat of a long task. */
	void extendVisibility(Delivery delivery, Duration visibility);

	/** The task is done: it leaves the queue for good. */
	void delete(Delivery delivery);

	/** The task failed this time: it becomes visible again after {@code delay}. */
	void release(Delivery delivery, Duration delay);

	QueueCounts counts();

	/** The dead-lettered tasks, without moving them. */
	List<Task> deadTasks();

	/** Moves every dead-lettered task back to the queue with a fresh receive count; returns them. */
	List<Task> redriveDead();

	/** Receives after which an undeleted task is dead-lettered (JOB_RETRIES). */
	int maxReceives();

	/** The visibility timeout a receive starts with (SQS_MESSAGE_VISIBILITY). */
	Duration visibility();
}
