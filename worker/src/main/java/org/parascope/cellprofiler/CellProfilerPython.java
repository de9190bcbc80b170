package org.parascope.cellprofiler;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The Python that CellProfiler's program runs in, where its packages and plugins' requirements live. */
final class CellProfilerPython {

	private CellProfilerPython() {}

	/**
	 * The interpreter the program's first line names (pip's launcher scripts name it), else a python3
	 * next to the program, else python3 on PATH; empty when there is none.
	 *
	 * @param executable CELLPROFILER_EXECUTABLE, a path or a name on PATH
	 */
	static Optional<Path> of(String executable) {
		Path given = Path.of(executable);
		Path program = given.getParent() == null ? onPath(executable).orElse(given) : given;
		try (BufferedReader reader = Files.newBufferedReader(program, StandardCharsets.ISO_8859_1)) {
			String first = reader.readLine();
			if (first != null && first.startsWith("#!")) {
				Path interpreter = Path.of(first.substring(2).strip().split("\\s+")[0]);
				if (interpreter.getFileName().toString().startsWith("python") && Files.isExecutable(interpreter)) {
					return Optional.of(interpreter);
				}
			}
		}
		catch (IOException | InvalidPathException e) {
			// Not a readable script (a binary, or missing): look next to it instead.
		}
		Path parent = program.toAbsolutePath().getParent();
		if (parent != null) {
			for (String name : List.of("python3", "python")) {
				if (Files.isExecutable(parent.resolve(name))) return Optional.of(parent.resolve(name));
			}
		}
		return onPath("python3");
	}

	private static Optional<Path> onPath(String name) {
		String path = System.getenv("PATH");
		if (path == null) return Optional.empty();
		return Stream.of(path.split(File.pathSeparator)).map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst();
	}
}
