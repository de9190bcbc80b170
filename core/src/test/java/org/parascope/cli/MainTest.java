package org.parascope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's own behaviour: help, exit codes, errors a user reads. */
class MainTest {

	@TempDir
	Path dir;

	@Test
	void runHelpExplainsTheOptions() {
		Outcome o = Outcome.run(Map.of(), "run", "--help");
		assertEquals(0, o.exit());
		assertTrue(o.out().contains("--workers=N") && o.out().contains("--output=DIR") && o.out().contains("Exit code 0"), o.out());
	}

	@Test
	void aBadEndpointUrlIsAnInputError() throws Exception {
		Path job = Files.writeString(dir.resolve("job.json"), "{}");
		Outcome o = Outcome.run(Map.of("AWS_ENDPOINT_URL", "localhost:5000"), "run", "--local", job.toString());
		assertEquals(Main.BAD_INPUT, o.exit());
		assertTrue(o.err().contains("expected an http:// or https:// URL, got localhost:5000"), o.err());
	}

	@Test
	void aMalformedJobIsReportedWithItsLineAndNothingRuns() throws Exception {
		Path job = Files.writeString(dir.resolve("job.json"), "{\"parascope_job\": 1,\n \"tasks\": [}\n");
		Outcome o = Outcome.run(Map.of(), "--config", Files.writeString(dir.resolve("parascope.yml"), "JOB_RETRIES: 2\n").toString(),
			"run", "--local", job.toString(), "--output", dir.resolve("results").toString());
		assertEquals(Main.BAD_INPUT, o.exit());
		assertTrue(o.err().contains("job.json") && o.err().contains("line 2"), o.err());
		assertTrue(Files.notExists(dir.resolve("results")));
	}

	@Test
	void anUnknownOptionIsAUsageError() {
		Outcome o = Outcome.run(Map.of(), "run", "--local", "--wokers", "3", "job.json");
		assertEquals(Main.BAD_INPUT, o.exit());
		assertTrue(o.err().contains("--wokers"), o.err());
	}
}
