package org.parascope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
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
	void anUploadListWhoseKeyLeavesTheJobsFolderIsRefusedAndNothingRuns() throws Exception {
		Path job = Files.writeString(dir.resolve("job.json"), "{\"parascope_job\": 1, \"tasks\": []}");
		Files.writeString(dir.resolve("a.tif"), "pixels");
		Path list = Files.writeString(dir.resolve("upload.json"), "{\"source\": {\"../../a.tif\": \"a.tif\"}}");
		Outcome o = Outcome.run(Map.of(), "run", "--local", job.toString(), "--upload", list.toString(),
			"--output", dir.resolve("results").toString());
		assertEquals(Main.BAD_INPUT, o.exit());
		assertTrue(o.err().contains("upload.json") && o.err().contains("source.\"../../a.tif\": the key has a '..' segment"), o.err());
		assertTrue(Files.notExists(dir.resolve("results")));
	}

	/**
	 * What a command prints is UTF-8 (JSON's encoding) whatever the platform's default charset: here
	 * ISO-8859-1, as a Java 17 on Windows (Cp1252) or in a C locale would have it.
	 */
	@Test
	void outputIsUtf8WhateverThePlatformsCharset() throws Exception {
		Path csv = Files.writeString(dir.resolve("load_data.csv"), "FileName_DNA,Metadata_Plate\na.png,plaque-\u00e9\n");
		Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dfile.encoding=ISO-8859-1",
			"-cp", System.getProperty("java.class.path"), Main.class.getName(), "job", "from-loaddata", csv.toString(),
			"--group-by", "Plate", "--pipeline", "a", "--data-file", "b", "--output", "c").redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertEquals(0, p.waitFor(), out);
		assertTrue(out.contains("\"Metadata\" : \"Metadata_Plate=plaque-\u00e9\""), out);
	}

	@Test
	void anUnknownOptionIsAUsageError() {
		Outcome o = Outcome.run(Map.of(), "run", "--local", "--wokers", "3", "job.json");
		assertEquals(Main.BAD_INPUT, o.exit());
		assertTrue(o.err().contains("--wokers"), o.err());
	}
}
