/**
 * {@code parascope report}: the figures of a run read from its trace (progress, throughput, machines,
 * durations, failures, cost and right-sizing) and one self-contained HTML page of them (docs/trace.md).
 */
package org.parascope.report;
