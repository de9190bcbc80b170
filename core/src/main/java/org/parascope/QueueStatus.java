package org.parascope;

import java.time.Duration;
import java.util.List;

import org.parascope.queue.QueueCounts;
import org.parascope.submit.JobManifest;

/**
 * Where the tasks of an application stand: the queue's counts (approximate, as SQS gives them) and the
 * jobs submitted from this folder.
 *
 * @param maxReceives receives before a task is dead-lettered, from the queue's redrive policy
 */
public record QueueStatus(String app, String region, String queue, String deadLetterQueue, int maxReceives,
	Duration visibility, QueueCounts counts, List<JobManifest> jobs) {}
