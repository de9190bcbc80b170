package org.parascope.worker;

import java.nio.file.Path;

import org.parascope.job.Task;

/**
 * One run of a task, in its own fresh working folder.
 *
 * @param script    the fetched macro, script or pipeline
 * @param inputDir  the fetched inputs, each at its key's path below this folder
 * @param outputDir empty at the start; everything in it is stored as the task's results
 */
public record TaskRun(Task task, Path workDir, Path script, Path inputDir, Path outputDir, TaskLog log) {}
