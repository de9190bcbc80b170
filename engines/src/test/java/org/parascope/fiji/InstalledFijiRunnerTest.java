package org.parascope.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.ParascopeException;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;
import org.parascope.job.Engine;
import org.parascope.job.Task;
import org.parascope.worker.TaskFailure;
import org.parascope.worker.TaskLog;
import org.parascope.worker.TaskRun;

/** An installed Fiji launched per task; the Fiji.app is {@link FijiStandIn}'s (see there why). */
class InstalledFijiRunnerTest {

	@TempDir
	static Path fiji;

	@TempDir
	Path dir;

	@BeforeAll
	static void installFiji() throws Exception {
		FijiStandIn.install(fiji);
	}

	private TaskRun taskRun(String fileName, String code, Map<String, String> group) throws Exception {
		Path script = Files.createDirectories(dir.resolve("script")).resolve(fileName);
		Files.writeString(script, code);
		Path in = Files.createDirectories(dir.resolve("input"));
		Path out = Files.createDirectories(dir.resolve("output"));
		Task task = new Task("0", Engine.FIJI, null, group, Map.of("scale", "2"), List.of(), null, null, "results");
		return new TaskRun(task, dir, script, in, out, new TaskLog());
	}

	@Test
	void runsTheScriptInFijiWithValuesThatSurviveQuotesAndCommasAndTheTaskFolderAsCurrentDirectory() throws Exception {
		Map<String, String> group = new LinkedHashMap<>();
		group.put("plate", "P \"1\", 'a' \\ b=c");
		group.put("well", "A01");
		TaskRun t = taskRun("write.py", """
			#@ String plate
			#@ String well
			#@ Integer scale
			import os
			with open('output/' + well + '.txt', 'w') as f:
			    f.write('%s|%d|%s' % (plate, scale * 2, os.getcwd()))
			print('wrote ' + well)
			""", group);
		new InstalledFijiRunner(fiji, 512).run(t);
		assertEquals("P \"1\", 'a' \\ b=c|4|" + dir.toRealPath(), Files.readString(t.outputDir().resolve("A01.txt")));
		assertTrue(t.log().lines().contains("wrote A01"), t.log().lines().toString());
		assertTrue(t.log().lines().get(0).contains("--mem=512m"), t.log().lines().get(0));
	}

	@Test
	void aNonZeroExitCodeFailsTheTask() throws Exception {
		TaskRun t = taskRun("exit.groovy", "System.exit(3)\n", Map.of("well", "A01"));
		TaskFailure failure = assertThrows(TaskFailure.class, () -> new InstalledFijiRunner(fiji, 256).run(t));
		assertEquals("Fiji exited with code 3", failure.getMessage());
	}

	@Test
	void anInterruptedTaskStopsItsFiji() throws Exception {
		Path pidFile = dir.resolve("pid");
		TaskRun t = taskRun("sleep.groovy", """
			new File('%s').text = ProcessHandle.current().pid().toString()
			Thread.sleep(600000)
			""".formatted(pidFile), Map.of("well", "A01"));
		ExecutorService thread = Executors.newSingleThreadExecutor();
		try {
			Future<?> run = thread.submit(() -> {
				new InstalledFijiRunner(fiji, 256).run(t);
				return null;
			});
			long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
			while (!(Files.exists(pidFile) && Files.size(pidFile) > 0) && System.nanoTime() < deadline) Thread.sleep(50);
			long pid = Long.parseLong(Files.readString(pidFile).trim());
			assertTrue(ProcessHandle.of(pid).isPresent(), "Fiji runs");
			run.cancel(true);
			deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) Thread.sleep(50);
			assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "Fiji was stopped with its task");
		}
		finally {
			thread.shutdownNow();
		}
	}

	@Test
	void heapIsTheContainersMemoryShared() {
		Config config = Config.defaults().with(ConfigKey.MEMORY, 15000).with(ConfigKey.DOCKER_CORES, 4);
		assertEquals((15000 - 1024) / 4, InstalledFijiRunner.heapMib(config));
		assertEquals(256, InstalledFijiRunner.heapMib(config.with(ConfigKey.MEMORY, 1100)));
	}

	@Test
	void aFijiHomeWithoutALauncherIsNamed() {
		Config config = Config.defaults().with(ConfigKey.FIJI_HOME, dir.toString());
		ParascopeException e = assertThrows(ParascopeException.class, () -> new ScriptRunnerProvider().create(config));
		assertTrue(e.getMessage().startsWith("FIJI_HOME " + dir), e.getMessage());
	}
}
