/**
 * Job files of every format (Parascope's, DCP's, DF's, DS's), validated whole and streamed as tasks,
 * and tasks as queue message bodies (docs/jobs.md).
 */
package org.parascope.job;
