package org.parascope;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.parascope.queue.QueueCounts;
import org.parascope.submit.JobManifest;

/**
 * Where the tasks of an application stand: the queue's counts (approximate, as SQS gives them) and the
 * jobs submitted from this folder.
 *
 * @param maxReceives receives before a task is dead-lettered, from the queue's redrive policy
 * @param monitor     the detached monitor of the run started from this folder, while that run is not torn down
 */
public record QueueStatus(String app, String region, String queue, String deadLetterQueue, int maxReceives,
	Duration visibility, QueueCounts counts, List<JobManifest> jobs, Optional<DetachedMonitor> monitor) {

	/** @param ecs the service as ECS describes it; empty when it is gone */
	public record DetachedMonitor(String service, String cluster, String state, Optional<Service> ecs) {}

	/** An ECS service: its status (ACTIVE, DRAINING, INACTIVE) and its tasks running and desired. */
	public record Service(String status, int running, int desired) {}
}
