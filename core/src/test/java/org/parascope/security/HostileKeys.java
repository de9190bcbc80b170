package org.parascope.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.parascope.config.Config;
import org.parascope.job.Task;
import org.parascope.worker.Runner;
import org.parascope.worker.RunnerProvider;
import org.parascope.worker.TaskRun;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Keys and metadata values as an attacker or a careless user writes them: '..' segments (also behind
 * backslashes), absolute paths, NUL and other control characters, dot look-alikes that are harmless,
 * overlong keys. At most six segments, so that a test's sandbox can be deeper than any escape reaches.
 */
public final class HostileKeys {

	public static final int MAX_SEGMENTS = 6;

	private HostileKeys() {}

	static Arbitrary<String> segment() {
		return Arbitraries.frequencyOf(
			Tuple.of(4, Arbitraries.just("..")),
			Tuple.of(2, Arbitraries.of(".", "...", "..a", "a..", " ..", ".. ", "")),
			Tuple.of(4, Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(5)),
			// Any ASCII, control characters included, and a few letters beyond it.
			Tuple.of(1, Arbitraries.strings().withCharRange('\u0000', '\u007f').withChars("üé漢").ofMinLength(1)
				.ofMaxLength(3)));
	}

	/** A key or metadata value that may leave its folder. */
	public static Arbitrary<String> keys() {
		return Combinators.combine(segment().list().ofMinSize(1).ofMaxSize(MAX_SEGMENTS),
			Arbitraries.of("/", "/", "/", "\\"), Arbitraries.of("", "", "", "", "/", "\\"), Arbitraries.integers().between(0, 12))
			.as((segments, separator, lead, size) -> {
				String key = lead + String.join(separator, segments);
				return size == 12 ? key + "x".repeat(1100) : key;
			});
	}

	/**
	 * {@code n} keys drawn from {@link #keys()} for a test outside jqwik (one that needs a JUnit extension);
	 * a new draw each run, as in a property, and a failure names the key.
	 */
	public static List<String> sample(int n) {
		return keys().sampleStream().limit(n).toList();
	}

	/** Every file below {@code root}, as paths relative to it. */
	public static Set<String> files(Path root) {
		try (Stream<Path> walk = Files.walk(root)) {
			Set<String> files = new TreeSet<>();
			walk.filter(Files::isRegularFile).forEach(p -> files.add(root.relativize(p).toString()));
			return files;
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** A folder {@link #MAX_SEGMENTS} + 2 levels below {@code root}: no key of at most that many '..' leaves root. */
	public static Path deepBelow(Path root) throws IOException {
		Path deep = root;
		for (int i = 0; i < MAX_SEGMENTS + 2; i++) deep = deep.resolve("d" + i);
		return Files.createDirectories(deep);
	}

	/** An engine for tests: every task writes {@code result.txt} (its metadata) into its output folder. */
	public static final class WritingEngine implements RunnerProvider {
		@Override
		public boolean handles(Task task, Path script) {
			return true;
		}

		@Override
		public Runner create(Config config) {
			return (TaskRun run) -> Files.writeString(run.outputDir().resolve("result.txt"), run.task().label());
		}
	}
}
