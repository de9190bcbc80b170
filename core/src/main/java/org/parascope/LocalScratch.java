package org.parascope;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The scratch folders of local runs, in the temporary folder. Each holds a file naming the process that
 * made it. A run deletes its folder when it ends, but kill -9 skips that: the next run deletes the
 * folders whose process is gone. Folders without that file, or of a live process, are never touched.
 */
final class LocalScratch {

	static final String PREFIX = "parascope-";
	static final String OWNER = ".parascope-owner";

	private LocalScratch() {}

	/** A new scratch folder in the system's temporary folder (see {@link #create}). */
	static Path inTemp() {
		return create(Path.of(System.getProperty("java.io.tmpdir")));
	}

	/** A new scratch folder below {@code parent}, after removing those left by processes that died. */
	static Path create(Path parent) {
		cleanStale(parent);
		try {
			Path dir = Files.createTempDirectory(parent, PREFIX);
			Files.writeString(dir.resolve(OWNER), Long.toString(ProcessHandle.current().pid()));
			return dir;
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot make a scratch folder in " + parent, e);
		}
	}

	/** Deletes the scratch folders below {@code parent} whose process has ended; returns them. */
	static List<Path> cleanStale(Path parent) {
		List<Path> removed = new ArrayList<>();
		try (DirectoryStream<Path> dirs = Files.newDirectoryStream(parent, PREFIX + "*")) {
			for (Path dir : dirs) {
				if (ownerIsGone(dir.resolve(OWNER)) && delete(dir)) removed.add(dir);
			}
		}
		catch (IOException e) {
			// An unreadable temporary folder only means nothing is cleaned this time.
		}
		return removed;
	}

	private static boolean ownerIsGone(Path owner) {
		try {
			if (!Files.isRegularFile(owner)) return false;
			long pid = Long.parseLong(Files.readString(owner).strip());
			return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
		}
		catch (IOException | NumberFormatException e) {
			return false;
		}
	}

	/** Deletes {@code dir} and all in it; false when something could not be deleted, left for next time. */
	static boolean delete(Path dir) {
		try (Stream<Path> walk = Files.walk(dir)) {
			for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
			return true;
		}
		catch (IOException e) {
			return false; // another run cleaning the same folder, or a file we may not delete: left for next time
		}
	}
}
