package org.parascope.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A million groups read in a JVM of 64 MB: holding the groups (or a tree of the file, ~400 MB) would
 * end in OutOfMemoryError, so success shows that the reader streams.
 */
class LargeJobTest {

	private static final int GROUPS = 1_000_000;

	@TempDir
	Path dir;

	@Test
	void readsAMillionGroupsInA64MegabyteJvm() throws Exception {
		Path file = dir.resolve("large.json");
		try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
			out.write("{\"pipeline\": \"p.cppipe\", \"data_file\": \"d.csv\", \"input\": \"in\", \"output\": \"out\",\n"
				+ " \"groups\": [\n");
			for (int i = 0; i < GROUPS; i++) {
				out.write(i == 0 ? "  " : ",\n  ");
				out.write("{\"Metadata\": \"Metadata_Plate=P" + i / 1000 + ",Metadata_Well=W" + i % 1000 + "\"}");
			}
			out.write("\n]}\n");
		}

		Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
			"-Xmx64m", "-cp", System.getProperty("java.class.path"), LargeJobMain.class.getName(), file.toString())
			.redirectErrorStream(true).start();
		boolean finished = child.waitFor(60, TimeUnit.SECONDS);
		if (!finished) child.destroyForcibly();
		String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();

		assertTrue(finished, "still reading after 60 s: " + output);
		assertEquals(0, child.exitValue(), output);
		assertEquals(List.of("taskCount " + GROUPS, "streamed " + GROUPS, "last P999-W999 out/P999-W999"),
			output.lines().toList());
	}
}
