/**
 * Sending a job's tasks to the queue in concurrent batches, and the manifest that records what was sent
 * (docs/queue.md).
 */
package org.parascope.submit;
