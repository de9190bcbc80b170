/**
 * The trace of a run: one record for every try of every task (a start, then an end with its outcome, bytes,
 * CPU and peak memory), written in batches by workers to the store or beside a local run's results
 * (docs/trace.md).
 */
package org.parascope.trace;
