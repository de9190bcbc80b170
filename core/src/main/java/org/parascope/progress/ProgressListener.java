package org.parascope.progress;

/** Receives progress of long work; called from one thread, a few times a second. */
@FunctionalInterface
public interface ProgressListener {

	void update(JobProgress progress);

	ProgressListener NONE = p -> {};
}
