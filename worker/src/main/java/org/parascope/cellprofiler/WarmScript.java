package org.parascope.cellprofiler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** warm_cellprofiler.py, copied out of the jar once per process so that CellProfiler's Python can run it. */
final class WarmScript {

	private static Path path;

	private WarmScript() {}

	static synchronized Path path() {
		if (path != null && Files.isRegularFile(path)) return path;
		try (InputStream in = WarmScript.class.getResourceAsStream("warm_cellprofiler.py")) {
			if (in == null) throw new IllegalStateException("warm_cellprofiler.py is missing from the worker's jar");
			Path file = Files.createTempFile("parascope-warm-cellprofiler", ".py");
			Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
			file.toFile().deleteOnExit();
			path = file;
			return file;
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot write the warm CellProfiler's script to a temporary file", e);
		}
	}
}
