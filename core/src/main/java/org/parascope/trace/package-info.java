/**
 * The trace of a run: one record for every try of every task (its end, with its outcome, bytes, CPU and peak
 * memory; and a start for a try still running when records are made), written in batches by workers to the
 * store or beside a local run's results (docs/trace.md).
 */
package org.parascope.trace;
