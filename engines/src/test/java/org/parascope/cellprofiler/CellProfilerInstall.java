package org.parascope.cellprofiler;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The tests' real CellProfiler: the system property parascope.cellprofiler, else the cellprofiler
 * next to -Dparascope.moto's moto_server (both live in the tests' .venv), else .venv/bin/cellprofiler
 * in this folder or one above. A missing CellProfiler fails the test: CI installs it, it is no option.
 */
public final class CellProfilerInstall {

	private CellProfilerInstall() {}

	/**
	 * CellProfiler 4.2.8 (TIFFs through Bio-Formats, which the 5 nightly cannot read here): the system
	 * property parascope.cellprofiler42, else .venv-cp42/bin/cellprofiler in this folder or one above
	 * (./cellprofiler-4.2-env makes it; ./run-tests calls that).
	 */
	public static Path cellProfiler42() {
		Optional<Path> configured = Optional.ofNullable(System.getProperty("parascope.cellprofiler42")).map(Path::of);
		if (configured.isPresent() && Files.isExecutable(configured.get())) return configured.get();
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			Path candidate = dir.resolve(".venv-cp42/bin/cellprofiler".replace('/', File.separatorChar));
			if (Files.isExecutable(candidate)) return candidate;
		}
		throw new IllegalStateException("CellProfiler 4.2.8 not found" + configured.map(p -> " at " + p).orElse("")
			+ " nor in .venv-cp42: run ./cellprofiler-4.2-env (./run-tests does) or set -Dparascope.cellprofiler42=PATH");
	}

	public static Path executable() {
		Optional<Path> configured = Optional.ofNullable(System.getProperty("parascope.cellprofiler")).map(Path::of)
			.or(() -> Optional.ofNullable(System.getProperty("parascope.moto"))
				.map(moto -> Path.of(moto).resolveSibling("cellprofiler")));
		if (configured.isPresent() && Files.isExecutable(configured.get())) return configured.get();
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			Path candidate = dir.resolve(".venv/bin/cellprofiler".replace('/', File.separatorChar));
			if (Files.isExecutable(candidate)) return candidate;
		}
		throw new IllegalStateException("cellprofiler not found" + configured.map(p -> " at " + p).orElse("")
			+ " nor in .venv: run ./run-tests, which creates .venv and installs requirements-cellprofiler*.txt"
			+ " (or set -Dparascope.cellprofiler=/path/to/cellprofiler)");
	}
}
