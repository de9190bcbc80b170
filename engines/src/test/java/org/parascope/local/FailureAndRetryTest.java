package org.parascope.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.LocalRun;
import org.parascope.Parascope;
import org.parascope.cli.Outcome;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;
import org.parascope.progress.ProgressListener;

/** Failing and long tasks through the real task loop, with real ImageJ macros. */
class FailureAndRetryTest {

	@TempDir
	Path dir;

	private Path job(String macro, String... images) throws Exception {
		Files.writeString(dir.resolve("m.ijm"), macro);
		StringBuilder tasks = new StringBuilder();
		for (String image : images) {
			if (tasks.length() > 0) tasks.append(",\n");
			tasks.append("{\"metadata\": {\"image\": \"").append(image).append("\"}, \"inputs\": []}");
		}
		return Files.writeString(dir.resolve("job.json"), """
			{"parascope_job": 1, "name": "t", "engine": "fiji", "script": "m.ijm", "output": "out",
			 "tasks": [%s]}
			""".formatted(tasks));
	}

	@Test
	void aFailingTaskIsTriedJobRetriesTimesThenReportedByItsMetadataWhileTheOthersFinish() throws Exception {
		Path job = job("""
			#@ String image
			if (image == "bad") run("No Such Command Anywhere");
			File.saveString(image, output + "/" + image + ".txt");
			""", "a", "b", "bad", "c");
		Files.writeString(dir.resolve("parascope.yml"), "JOB_RETRIES: 3\n");
		Outcome run = Outcome.run(Map.of(), "--config", dir.resolve("parascope.yml").toString(), "run", "--local",
			job.toString(), "--workers", "2", "--output", dir.resolve("results").toString());
		String summary = run.out();
		assertEquals(1, run.exit(), "a failed task means exit code 1\n" + summary);
		assertTrue(summary.contains("image=bad: macro error: Unrecognized command: \"No Such Command Anywhere\""), summary);
		assertTrue(summary.matches("(?s).*failed \\(every try\\)\\s+1\\n.*"), summary);
		assertTrue(summary.matches("(?s).*retried tries\\s+3\\n.*"), "tried JOB_RETRIES = 3 times\n" + summary);
		for (String image : new String[] { "a", "b", "c" }) {
			assertTrue(Files.exists(dir.resolve("results/out/" + image + "/" + image + ".txt")), image);
		}
		assertFalse(Files.exists(dir.resolve("results/out/bad")), "a failed task stores nothing");
	}

	/**
	 * TASK_TIMEOUT stops a macro that would never end (ImageJ ignores thread interrupts, so the runner
	 * aborts the interpreter), and the same worker's warm ImageJ then runs the next task.
	 */
	@Test
	@Timeout(value = 5, unit = TimeUnit.MINUTES) // without the abort, the endless macro would hang the build
	void aMacroThatRunsPastTaskTimeoutIsStoppedAndTheWorkerGoesOn() throws Exception {
		Path job = job("""
			#@ String image
			while (image == "endless") { x = 1; }
			newImage("img", "8-bit black", 8, 8, 1);
			File.saveString(image + " " + nImages, output + "/" + image + ".txt");
			""", "endless", "after");
		Files.writeString(dir.resolve("parascope.yml"), "TASK_TIMEOUT: 2\nJOB_RETRIES: 1\n");
		Outcome run = Outcome.run(Map.of(), "--config", dir.resolve("parascope.yml").toString(), "run", "--local",
			job.toString(), "--workers", "1", "--output", dir.resolve("results").toString());
		String summary = run.out();
		assertEquals(1, run.exit(), summary);
		assertTrue(summary.contains("image=endless: timed out after 2 s"), summary);
		assertFalse(Files.exists(dir.resolve("results/out/endless")), "a stopped task stores nothing");
		// One image open: the endless macro's ImageJ state did not leak into the next task.
		assertEquals("after 1", Files.readString(dir.resolve("results/out/after/after.txt")));
	}

	/** The heartbeat keeps a task longer than the visibility timeout from running twice. */
	@Test
	void aTaskLongerThanTheVisibilityTimeoutRunsOnce() throws Exception {
		Path log = dir.resolve("runs.log");
		Path job = job("""
			#@ String image
			File.append(image, "%s");
			wait(3500);
			File.saveString(image, output + "/" + image + ".txt");
			""".formatted(log.toString().replace("\\", "/")), "slow");
		Config config = Config.defaults().with(ConfigKey.SQS_MESSAGE_VISIBILITY, 1);
		LocalRun.Result r = new Parascope(config).runLocal(job, 3, dir.resolve("results"), ProgressListener.NONE);
		assertTrue(r.allSucceeded());
		assertEquals(1, Files.readAllLines(log).size(), "runs: " + Files.readAllLines(log));
	}

	@Test
	void aMissingInputIsReportedBeforeAnythingRuns() throws Exception {
		Files.writeString(dir.resolve("m.ijm"), "print(1);");
		Path job = Files.writeString(dir.resolve("job.json"), """
			{"parascope_job": 1, "engine": "fiji", "script": "m.ijm", "output": "out",
			 "tasks": [{"metadata": {"image": "x"}, "inputs": ["images/missing.png"]}]}
			""");
		var e = org.junit.jupiter.api.Assertions.assertThrows(org.parascope.ParascopeException.class,
			() -> new Parascope(Config.defaults()).runLocal(job, 1, dir.resolve("results"), ProgressListener.NONE));
		assertTrue(e.getMessage().contains("images/missing.png (task image=x)"), e.getMessage());
		assertFalse(Files.exists(dir.resolve("results")), "nothing ran");
	}
}
