package org.parascope.cellprofiler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * warm_cellprofiler.py and the group_rows.py it imports, copied out of the jar once per process into a
 * folder of their own, so that CellProfiler's Python can run them.
 */
final class WarmScript {

	private static Path path;

	private WarmScript() {}

	static synchronized Path path() {
		if (path != null && Files.isRegularFile(path)) return path;
		try {
			Path folder = Files.createTempDirectory("parascope-warm-cellprofiler");
			folder.toFile().deleteOnExit();
			for (String name : new String[] {"group_rows.py", "warm_cellprofiler.py"}) {
				try (InputStream in = WarmScript.class.getResourceAsStream(name)) {
					if (in == null) throw new IllegalStateException(name + " is missing from the worker's jar");
					Files.copy(in, folder.resolve(name));
				}
				folder.resolve(name).toFile().deleteOnExit();
			}
			path = folder.resolve("warm_cellprofiler.py");
			return path;
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot write the warm CellProfiler's scripts to a temporary folder", e);
		}
	}
}
