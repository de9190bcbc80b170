/**
 * Fiji engines: ImageJ macros and SciJava scripts in a warm in-process runtime, and an installed Fiji
 * run as a process (docs/fiji.md, docs/worker.md).
 */
package org.parascope.fiji;
