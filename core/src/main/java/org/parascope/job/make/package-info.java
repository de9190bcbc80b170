/**
 * Making jobs: from run_batch_general's steps ({@code parascope job batch}), from a folder or S3 prefix of
 * files, and from a LoadData CSV, in the formats {@link org.parascope.job.Job} reads (docs/jobs.md).
 */
package org.parascope.job.make;
