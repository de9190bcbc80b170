/**
 * Parascope: Fiji and CellProfiler analyses split into tasks, run by many workers.
 * {@link org.parascope.Parascope} is the facade every face (the command line, the Fiji plugin, the
 * CellProfiler bridge through the command line) calls; the shape of the code is in docs/design.md.
 */
package org.parascope;
