package org.parascope.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.ParascopeException;

/**
 * An engine's program: its output reaches the task's log while it runs, and an interrupt ends it with
 * its children. The programs are the system's sh and sleep: what is tested is the process handling,
 * which is the same for CellProfiler, Fiji or anything else.
 */
class TaskProcessTest {

	@TempDir
	Path dir;

	@Test
	void outputIsLoggedLineByLineAndTheExitCodeAndLastLineReported() throws Exception {
		TaskLog log = new TaskLog();
		TaskProcess.Ended ended = TaskProcess.run(List.of("sh", "-c", "echo 'one two'; echo oops >&2; echo; exit 3"), dir, log);
		assertEquals(new TaskProcess.Ended(3, "oops"), ended);
		assertEquals(List.of("one two", "oops", ""), log.lines());
	}

	@Test
	void anInterruptEndsTheProgramAndItsChildren() throws Exception {
		TaskLog log = new TaskLog();
		AtomicReference<Throwable> thrown = new AtomicReference<>();
		Thread task = new Thread(() -> {
			try {
				TaskProcess.run(List.of("sh", "-c", "echo started; sleep 301 & sleep 302 & wait"), dir, log);
			}
			catch (Throwable e) {
				thrown.set(e);
			}
		});
		task.start();
		List<ProcessHandle> sleeps = List.of();
		for (int i = 0; i < 200 && sleeps.size() < 2; i++) {
			Thread.sleep(50);
			sleeps = ProcessHandle.current().descendants()
				.filter(p -> p.info().commandLine().orElse("").matches(".*sleep 30[12]")).toList();
		}
		assertEquals(2, sleeps.size(), "both children started");
		assertEquals(List.of("started"), log.lines(), "what it printed is in the log while it runs");

		task.interrupt();
		task.join(10_000);
		assertFalse(task.isAlive());
		assertInstanceOf(InterruptedException.class, thrown.get());
		for (ProcessHandle sleep : sleeps) {
			CompletableFuture<ProcessHandle> ended = sleep.onExit();
			ended.get(10, TimeUnit.SECONDS);
			assertFalse(sleep.isAlive(), sleep.info().commandLine().orElse("child"));
		}
	}

	@Test
	@Timeout(60)
	void aProgramPastItsLimitIsEndedWithItsChildren() throws Exception {
		TaskLog log = new TaskLog();
		ParascopeException e = assertThrows(ParascopeException.class, () -> TaskProcess.run(
			List.of("sh", "-c", "sleep 600 & echo $! > sleep.pid; wait"), dir, Map.of(), log, Duration.ofSeconds(2)));
		assertEquals("sh did not end within 2 s; it was ended with every process it started", e.getMessage());
		assertTrue(Files.exists(dir.resolve("sleep.pid")), "the child started within the limit");
		Optional<ProcessHandle> sleep = ProcessHandle.of(Long.parseLong(Files.readString(dir.resolve("sleep.pid")).strip()));
		sleep.ifPresent(p -> p.onExit().completeOnTimeout(p, 10, TimeUnit.SECONDS).join());
		assertFalse(sleep.map(ProcessHandle::isAlive).orElse(false), "sleep 600 was ended");
	}

	@Test
	void theEnvironmentGivenIsAddedToTheProgramsOwn() throws Exception {
		TaskLog log = new TaskLog();
		TaskProcess.Ended ended = TaskProcess.run(List.of("sh", "-c", "echo \"$PARASCOPE_TEST_VALUE ${PATH:+path kept}\""),
			dir, Map.of("PARASCOPE_TEST_VALUE", "given"), log, Duration.ofMinutes(1));
		assertEquals(new TaskProcess.Ended(0, "given path kept"), ended);
	}

	@Test
	void aMissingProgramIsNamed() {
		ParascopeException e = assertThrows(ParascopeException.class,
			() -> TaskProcess.run(List.of("/no/such/cellprofiler", "-c"), dir, new TaskLog()));
		assertTrue(e.getMessage().startsWith("cannot start /no/such/cellprofiler: "), e.getMessage());
	}
}
