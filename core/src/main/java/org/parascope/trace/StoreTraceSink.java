package org.parascope.trace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.parascope.store.ObjectStore;

/**
 * One object per batch under {@code prefix/<process>/}, numbered in order: S3 has no append, and a
 * worker killed between two batches loses only what it had not written yet.
 */
public final class StoreTraceSink implements TraceSink {

	private final ObjectStore store;
	private final String folder;
	private int batch;

	/** @param prefix the run's trace prefix ({@link TracePlace#prefix}) */
	public StoreTraceSink(ObjectStore store, String prefix, Machine machine) {
		this.store = store;
		this.folder = prefix + TracePlace.safe(machine.process()) + "/";
	}

	/** Where this sink's objects go. */
	public String location() {
		return store.location() + "/" + folder;
	}

	@Override
	public synchronized void write(String lines) {
		Path temp = null;
		try {
			temp = Files.createTempFile("parascope-trace-", ".jsonl");
			Files.writeString(temp, lines, StandardCharsets.UTF_8);
			store.put(folder + String.format("%06d.jsonl", ++batch), temp);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		finally {
			if (temp != null) temp.toFile().delete();
		}
	}
}
