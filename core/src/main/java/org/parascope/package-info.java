/**
 * Parascope: Fiji and CellProfiler analyses split into tasks, run by many workers.
 * {@link org.parascope.Parascope} is the facade every face (the command line, the Fiji plugin, the
 * CellProfiler bridge through the command line) calls, and their only door to core: it wires the
 * adapters into the use cases here ({@link org.parascope.LocalRun}, the reports, the cloud workers, the
 * buckets) and speaks core types to the faces. The shape of the code is in docs/design.md.
 */
package org.parascope;
