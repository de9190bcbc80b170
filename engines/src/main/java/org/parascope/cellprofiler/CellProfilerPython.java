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

/**
 * CellProfiler's own Python, found from its program (CELLPROFILER_EXECUTABLE): the interpreter the
 * program's first line names (pip's launcher scripts name it), else a python3 next to the program,
 * else python3 on PATH. The plugin steps install into it; the warm runner runs CellProfiler in it.
 */
final class CellProfilerPython {

	private CellProfilerPython() {}

	static Optional<Path> of(String executable) {
		Optional<Path> launcher = launcher(executable);
		if (launcher.isPresent()) return launcher;
		Path parent = program(executable).toAbsolutePath().getParent();
		if (parent != null) {
			for (String name : List.of("python3", "python")) {
				if (Files.isExecutable(parent.resolve(name))) return Optional.of(parent.resolve(name));
			}
		}
		return onPath("python3");
	}

	/**
	 * The Python that CellProfiler's program is a launcher script of (its first line names it), or empty
	 * for a program that is not one (a binary, or a wrapper in another language).
	 */
	static Optional<Path> launcher(String executable) {
		try (BufferedReader reader = Files.newBufferedReader(program(executable), StandardCharsets.ISO_8859_1)) {
			String first = reader.readLine();
			if (first != null && first.startsWith("#!")) {
				Path interpreter = Path.of(first.substring(2).strip().split("\\s+")[0]);
				if (interpreter.getFileName().toString().startsWith("python") && Files.isExecutable(interpreter)) {
					return Optional.of(interpreter);
				}
			}
		}
		catch (IOException | InvalidPathException e) {
			// Not a readable script (a binary, or missing).
		}
		return Optional.empty();
	}

	private static Path program(String executable) {
		Path given = Path.of(executable);
		return given.getParent() == null ? onPath(executable).orElse(given) : given;
	}

	private static Optional<Path> onPath(String name) {
		String path = System.getenv("PATH");
		if (path == null) return Optional.empty();
		return Stream.of(path.split(File.pathSeparator)).map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst();
	}
}
