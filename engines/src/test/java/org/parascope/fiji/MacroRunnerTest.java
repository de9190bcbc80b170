package org.parascope.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.job.Engine;
import org.parascope.job.Task;
import org.parascope.worker.TaskFailure;
import org.parascope.worker.TaskLog;
import org.parascope.worker.TaskOutput;
import org.parascope.worker.TaskRun;

/** Real ImageJ 1.x, headless, in private class loaders. */
class MacroRunnerTest {

	private static MacroRunner runner;

	@TempDir
	Path dir;

	@BeforeAll
	static void startImageJ() {
		runner = new MacroRunner();
	}

	@AfterAll
	static void stop() {
		runner.close();
	}

	private TaskRun taskRun(String macro, Map<String, String> metadata, Map<String, String> parameters) throws Exception {
		Path script = dir.resolve("script.ijm");
		Files.writeString(script, macro);
		Path in = Files.createDirectories(dir.resolve("in"));
		Path out = Files.createDirectories(dir.resolve("out"));
		Task task = new Task("0", Engine.FIJI, "script.ijm", metadata, parameters, List.of(), null, null, "results/x");
		return new TaskRun(task, dir, script, in, out, new TaskLog());
	}

	private static void run(MacroRunner r, TaskRun t) throws Exception {
		try (var c = TaskOutput.capture(t.log())) {
			r.run(t);
		}
	}

	@Test
	void handsTheTaskValuesToTheMacroAsFijiWould() throws Exception {
		TaskRun t = taskRun("""
			#@ String well
			#@ Integer site
			#@ File output
			File.saveString(well + "|" + (site + 1) + "|" + plate + "|" + getArgument(), output + "/values.txt");
			""", Map.of("well", "A01", "site", "4"), Map.of("plate", "P \"1\""));
		run(runner, t);
		String written = Files.readString(t.outputDir().resolve("values.txt"));
		assertTrue(written.startsWith("A01|5|P \"1\"|"), written);
		assertTrue(written.contains("well='A01'"), written);
	}

	@Test
	void aMacroErrorFailsTheTaskWithImageJsMessage() throws Exception {
		TaskRun t = taskRun("x = 1;\ny = undefinedVariable + 2;\n", Map.of(), Map.of());
		TaskFailure failure = assertThrows(TaskFailure.class, () -> run(runner, t));
		assertEquals("macro error: Undefined variable in line 2: y = <undefinedVariable> + 2 ;", failure.getMessage());
	}

	@Test
	void aMissingParameterIsNamed() throws Exception {
		TaskRun t = taskRun("#@ String channel\nprint(channel);\n", Map.of("well", "A01"), Map.of());
		TaskFailure failure = assertThrows(TaskFailure.class, () -> run(runner, t));
		assertTrue(failure.getMessage().contains("'channel'"), failure.getMessage());
	}

	@Test
	void exitEndsTheMacroWithoutFailing() throws Exception {
		TaskRun t = taskRun("File.saveString('ok', output + '/a.txt'); exit(); File.saveString('no', output + '/b.txt');", Map.of(), Map.of());
		run(runner, t);
		assertTrue(Files.exists(t.outputDir().resolve("a.txt")));
		assertTrue(Files.notExists(t.outputDir().resolve("b.txt")));
	}

	@Test
	void printedLinesGoToTheTaskLog() throws Exception {
		TaskRun t = taskRun("print('hello from ' + well);", Map.of("well", "B02"), Map.of());
		run(runner, t);
		assertTrue(t.log().lines().contains("hello from B02"), t.log().lines().toString());
	}

	/**
	 * A task stopped before its macro got going (the timeout can fire while ImageJ is still being
	 * started) must not leave the macro to start afterwards: this one would never end.
	 */
	@Test
	@Timeout(value = 2, unit = TimeUnit.MINUTES) // a macro left running would hang the build instead
	void aTaskStoppedBeforeItsMacroStartsNeverRunsItAndTheRunnerGoesOn() throws Exception {
		TaskRun endless = taskRun("while (true) { x = 1; }", Map.of(), Map.of());
		Thread.currentThread().interrupt();
		assertThrows(InterruptedException.class, () -> run(runner, endless));
		TaskRun next = taskRun("File.saveString('' + nImages, output + '/n.txt');", Map.of(), Map.of());
		run(runner, next);
		assertEquals("0", Files.readString(next.outputDir().resolve("n.txt")));
	}

	/** Each runner has its own ImageJ: parallel macros do not see each other's images or results. */
	@Test
	void runnersInParallelDoNotShareImageJState() throws Exception {
		MacroRunner other = new MacroRunner();
		ExecutorService pool = Executors.newFixedThreadPool(2);
		try {
			String macro = """
				for (i = 0; i < 20; i++) {
					newImage("img", "8-bit black", 64, 64, 1);
					makeOval(2, 2, n, n); run("Set...", "value=255"); run("Select None");
					setThreshold(128, 255);
					run("Analyze Particles...", "display clear");
					if (nResults != 1 || getResult("Area", 0) < n) exit("mixed up: " + nResults);
					close();
				}
				File.saveString("" + getResult("Area", 0), output + "/area.txt");
				""";
			Callable<String> small = () -> runIn(runner, macro, "10", "small");
			Callable<String> large = () -> runIn(other, macro, "40", "large");
			Future<String> a = pool.submit(small), b = pool.submit(large);
			assertTrue(Double.parseDouble(a.get()) < 100);
			assertTrue(Double.parseDouble(b.get()) > 1000);
		}
		finally {
			pool.shutdown();
			other.close();
		}
	}

	private String runIn(MacroRunner r, String macro, String n, String sub) throws Exception {
		Path d = Files.createDirectories(dir.resolve(sub));
		Path script = d.resolve("m.ijm");
		Files.writeString(script, macro);
		Path out = Files.createDirectories(d.resolve("out"));
		Task task = new Task("0", Engine.FIJI, "m.ijm", Map.of("n", n), Map.of(), List.of(), null, null, "x");
		run(r, new TaskRun(task, d, script, d, out, new TaskLog()));
		return Files.readString(out.resolve("area.txt"));
	}
}
