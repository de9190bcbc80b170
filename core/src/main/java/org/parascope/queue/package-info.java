/**
 * The task queue port and its local adapter; the SQS adapter is in {@code org.parascope.aws}.
 */
package org.parascope.queue;
