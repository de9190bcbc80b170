package org.parascope.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.job.Engine;
import org.parascope.job.Task;
import org.parascope.worker.TaskFailure;
import org.parascope.worker.TaskLog;
import org.parascope.worker.TaskOutput;
import org.parascope.worker.TaskRun;

/** Real SciJava (scijava-common) running real Jython and Groovy, with their JSR-223 engines from Maven Central. */
class ScriptRunnerTest {

	@TempDir
	Path dir;

	/** A task folder as the worker makes it: script/, input/ and a fresh output/. */
	private TaskRun taskRun(String folder, String fileName, String code, Map<String, String> group,
		Map<String, String> shared) throws Exception
	{
		Path work = Files.createDirectories(dir.resolve(folder));
		Path script = Files.createDirectories(work.resolve("script")).resolve(fileName);
		Files.writeString(script, code);
		Path in = Files.createDirectories(work.resolve("input"));
		Path out = Files.createDirectories(work.resolve("output"));
		Task task = new Task("0", Engine.FIJI, null, group, shared, List.of(), null, null, "results");
		return new TaskRun(task, work, script, in, out, new TaskLog());
	}

	private static void run(ScriptRunner runner, TaskRun t) throws Exception {
		try (var c = TaskOutput.capture(t.log())) {
			runner.run(t);
		}
	}

	@Test
	void fillsParametersFromSharedMetadataThenTheGroupAndWritesToTheRelativeOutputFolder() throws Exception {
		TaskRun t = taskRun("t", "measure.py", """
			#@ String plate
			#@ String well
			#@ Integer site
			#@ Double scale
			with open('output/%s-%s.txt' % (plate, well), 'w') as f:
			    f.write('%s|%d|%s' % (plate, site + 1, scale * 2))
			print('measured ' + well)
			""", Map.of("well", "A01", "site", "4", "plate", "P \"1\", 'x'"), Map.of("plate", "shared", "scale", "1.5"));
		run(new ScriptRunner(), t);
		assertEquals("P \"1\", 'x'|5|3.0", Files.readString(t.outputDir().resolve("P \"1\", 'x'-A01.txt")));
		assertTrue(t.log().lines().contains("measured A01"), t.log().lines().toString());
	}

	@Test
	void groovyScriptsRunInTheSameRuntime() throws Exception {
		TaskRun t = taskRun("t", "count.groovy", """
			#@ String well
			#@ File output
			new File(output, well + ".txt").text = (1..3).sum().toString()
			""", Map.of("well", "B02"), Map.of());
		run(new ScriptRunner(), t);
		assertEquals("6", Files.readString(t.outputDir().resolve("B02.txt")));
	}

	@Test
	void twoTasksAtOnceEachWriteIntoTheirOwnOutputFolder() throws Exception {
		// Each script waits in the meeting folder for the other, so both surely run at once in this JVM.
		Path meet = Files.createDirectories(dir.resolve("meet"));
		String code = """
			#@ String well
			#@ String meet
			import os, time
			open(os.path.join(meet, well), 'w').close()
			deadline = time.time() + 60
			while len(os.listdir(meet)) < 2 and time.time() < deadline:
			    time.sleep(0.01)
			open('output/' + well + '.txt', 'w').write('%d %s' % (len(os.listdir(meet)), os.getcwd()))
			""";
		TaskRun a = taskRun("a", "w.py", code, Map.of("well", "A01", "meet", meet.toString()), Map.of());
		TaskRun b = taskRun("b", "w.py", code, Map.of("well", "B01", "meet", meet.toString()), Map.of());
		ExecutorService pool = Executors.newFixedThreadPool(2);
		try {
			List<Callable<Object>> both = List.of(() -> runNew(a), () -> runNew(b));
			for (Future<Object> f : pool.invokeAll(both)) f.get();
		}
		finally {
			pool.shutdownNow();
		}
		assertEquals(List.of("A01.txt"), names(a.outputDir()));
		assertEquals(List.of("B01.txt"), names(b.outputDir()));
		assertEquals("2 " + a.workDir().toRealPath(), Files.readString(a.outputDir().resolve("A01.txt")));
		assertEquals("2 " + b.workDir().toRealPath(), Files.readString(b.outputDir().resolve("B01.txt")));
	}

	private static Object runNew(TaskRun t) throws Exception {
		run(new ScriptRunner(), t);
		return null;
	}

	/** As the worker runs a job: one runner, and every task's script at the same path. */
	@Test
	void aWarmRunnerRunsEachTaskFromAnEmptyNamespaceAndAChangedScriptAsChanged() throws Exception {
		ScriptRunner runner = new ScriptRunner();
		String first = """
			#@ String well
			import os
			seen = 'left' in dir()
			left = well
			open('output/' + well + '.txt', 'w').write('v1 %s %s' % (seen, os.path.basename(__file__)))
			""";
		List<String> written = new ArrayList<>();
		for (String[] task : new String[][] { { "A01", first }, { "B01", first }, { "C01", first.replace("v1", "v2") } }) {
			TaskRun t = taskRun("w", "w.py", task[1], Map.of("well", task[0]), Map.of());
			run(runner, t);
			written.add(Files.readString(t.outputDir().resolve(task[0] + ".txt")));
		}
		runner.close();
		// The second task of the same script sees nothing the first one defined, and its own __file__;
		// the runner keeps scripts compiled, and an edited script must not run as it was.
		assertEquals(List.of("v1 False w.py", "v1 False w.py", "v2 False w.py"), written);
	}

	@Test
	void aPythonErrorFailsTheTaskWithItsMessage() throws Exception {
		TaskRun t = taskRun("t", "bad.py", "x = 1\ny = undefined_name + 2\n", Map.of("well", "A01"), Map.of());
		TaskFailure failure = assertThrows(TaskFailure.class, () -> run(new ScriptRunner(), t));
		assertTrue(failure.getMessage().startsWith("bad.py failed: NameError: name 'undefined_name' is not defined"),
			failure.getMessage());
		assertTrue(failure.getMessage().contains("line 2"), failure.getMessage());
	}

	@Test
	void aParameterWithoutAValueIsNamed() throws Exception {
		TaskRun t = taskRun("t", "need.py", "#@ String plate\n#@ String well\nprint(plate)\n", Map.of("well", "A01"), Map.of());
		TaskFailure failure = assertThrows(TaskFailure.class, () -> run(new ScriptRunner(), t));
		assertTrue(failure.getMessage().contains("'plate' is required but unset"), failure.getMessage());
	}

	@Test
	void aValueThatIsNotOfTheDeclaredTypeIsNamed() throws Exception {
		TaskRun t = taskRun("t", "num.py", "#@ Integer site\nprint(site)\n", Map.of("site", "four"), Map.of());
		TaskFailure failure = assertThrows(TaskFailure.class, () -> run(new ScriptRunner(), t));
		assertEquals("num.py: parameter 'site' is a Integer but the task gives 'four'", failure.getMessage());
	}

	@Test
	void aLanguageThisWorkerLacksPointsToFijiHome() throws Exception {
		TaskRun t = taskRun("t", "old.bsh", "print(1);\n", Map.of("well", "A01"), Map.of());
		TaskFailure failure = assertThrows(TaskFailure.class, () -> run(new ScriptRunner(), t));
		assertTrue(failure.getMessage().contains("set FIJI_HOME"), failure.getMessage());
		assertTrue(failure.getMessage().contains(".py"), failure.getMessage());
	}

	private static List<String> names(Path folder) throws Exception {
		try (var files = Files.list(folder)) {
			return files.map(p -> p.getFileName().toString()).sorted().toList();
		}
	}
}
