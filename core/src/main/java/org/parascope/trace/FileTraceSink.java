package org.parascope.trace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Appends batches to one file (a local run's {@code trace.jsonl}). */
public final class FileTraceSink implements TraceSink {

	private final Path file;

	public FileTraceSink(Path file) {
		this.file = file;
	}

	@Override
	public synchronized void write(String lines) {
		try {
			Files.createDirectories(file.toAbsolutePath().getParent());
			Files.writeString(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		}
		catch (IOException e) {
			throw new UncheckedIOException(file + ": cannot write the trace", e);
		}
	}
}
