/**
 * The task queue on SQS: the TaskQueue port's adapter, batched sends, the dead-letter queue (docs/aws.md).
 */
package org.parascope.aws.queue;
