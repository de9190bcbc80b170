package org.parascope.trace;

/** Where batches of trace lines go: a local file, or one object per batch in a bucket. */
public interface TraceSink {

	/** Writes one batch: whole JSON lines, each ending with a line break. */
	void write(String lines);
}
