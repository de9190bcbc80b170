package org.parascope.queue;

import org.parascope.job.Task;

/**
 * One receipt of a task.
 *
 * @param receipt      proves this receipt when deleting, releasing or extending
 * @param receiveCount how many times the task has been received, this time included
 */
public record Delivery(Task task, String receipt, int receiveCount) {}
