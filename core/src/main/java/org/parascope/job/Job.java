package org.parascope.job;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A job file, validated whole, whose tasks are streamed. STUB with the agreed API: the job work
 * replaces the body.
 */
public final class Job {

	/** The job file formats Parascope reads, detected from the file's keys. */
	public enum Format { NATIVE, DCP, DF, DS }

	private Job() {}

	/** Reads and validates the whole file (streaming); throws JobException naming file and JSON path. */
	public static Job read(Path file) {
		throw new UnsupportedOperationException("stub");
	}

	public Format format() { throw new UnsupportedOperationException("stub"); }
	public String name() { throw new UnsupportedOperationException("stub"); }
	public Path file() { throw new UnsupportedOperationException("stub"); }
	public long taskCount() { throw new UnsupportedOperationException("stub"); }

	/** Streams the tasks in file order (a second pass over the file: memory stays flat). */
	public void forEachTask(Consumer<Task> sink) { throw new UnsupportedOperationException("stub"); }
}
