package org.parascope.cellprofiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.examples.NucleiImages;
import org.parascope.job.Engine;
import org.parascope.job.Task;
import org.parascope.worker.TaskFailure;
import org.parascope.worker.TaskLog;
import org.parascope.worker.TaskRun;

/**
 * The warm CellProfiler against a fresh process per task, on the tests' real CellProfiler: the same
 * outputs, nothing of one group in the next, and the same failures; a warm process that dies, times out
 * or reaches its limits is replaced, and its task is not lost.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class WarmCellProfilerTest {

	private static final List<String> WELLS = List.of("A01", "A02", "B01", "B02");

	@TempDir
	Path dir;

	@Test
	void aWarmCellProfilerGivesEachGroupTheOutputsOfAFreshProcessAndNothingOfTheGroupBefore() throws Exception {
		Plate plate = plate();
		Map<String, Map<String, String>> fresh = new LinkedHashMap<>(), warm = new LinkedHashMap<>();
		List<Long> pids = new ArrayList<>();
		try (CellProfilerRunner freshRunner = runner(CellProfilerRunner.Warm.OFF);
			CellProfilerRunner warmRunner = runner(new CellProfilerRunner.Warm(true, 0, 0))) {
			for (String well : WELLS) {
				fresh.put(well, outputs(run(freshRunner, plate, well, "fresh")));
				TaskRun run = run(warmRunner, plate, well, "warm");
				warm.put(well, outputs(run));
				pids.add(warmPid(run.log()));
			}
		}
		assertEquals(1, pids.stream().distinct().count(), "one warm process ran every task: " + pids);
		for (String well : WELLS) {
			assertEquals(fresh.get(well).keySet(), warm.get(well).keySet(), "the same files for " + well);
			fresh.get(well).forEach((name, text) -> assertEquals(comparable(text), comparable(warm.get(well).get(name)),
				well + "/" + name + " differs between a fresh process and the warm one"));
			String image = warm.get(well).get("MyExpt_Image.csv");
			assertEquals(2, image.strip().split("\n").length, "one image set, this group's only: " + image);
			assertTrue(image.contains("," + well + ","), image);
			long nuclei = warm.get(well).get("MyExpt_Nuclei.csv").strip().split("\n").length - 1;
			assertEquals(plate.planted().get(well), (int) nuclei, "nuclei found in " + well);
		}
	}

	@Test
	void aPipelineThatFailsFailsTheSameWayWarm() throws Exception {
		Plate plate = plate();
		// The CSV names a folder that does not exist: LoadData fails, in both.
		Files.writeString(plate.csv(), Files.readString(plate.csv()).replace(plate.images().toString(),
			dir.resolve("no such folder").toString()));
		try (CellProfilerRunner freshRunner = runner(CellProfilerRunner.Warm.OFF);
			CellProfilerRunner warmRunner = runner(new CellProfilerRunner.Warm(true, 0, 0))) {
			TaskFailure fresh = assertThrows(TaskFailure.class, () -> run(freshRunner, plate, "A01", "fresh"));
			TaskFailure warm = assertThrows(TaskFailure.class, () -> run(warmRunner, plate, "A01", "warm"));
			assertEquals(exitCode(fresh), exitCode(warm), fresh.getMessage() + " / " + warm.getMessage());
			// ... and the warm process goes on with the next task.
			Files.writeString(plate.csv(), Files.readString(plate.csv()).replace(dir.resolve("no such folder").toString(),
				plate.images().toString()));
			TaskRun next = run(warmRunner, plate, "A02", "warm-next");
			assertEquals("Complete", done(next));
		}
	}

	@Test
	void aTaskWhoseWarmCellProfilerDiesRunsAgainInAFreshProcess() throws Exception {
		Plate plate = plate();
		try (CellProfilerRunner runner = runner(new CellProfilerRunner.Warm(true, 0, 0))) {
			long pid = warmPid(run(runner, plate, "A01", "first").log());
			// Killed while it runs the next task, as the kernel's OOM killer would.
			CountDownLatch running = new CountDownLatch(1);
			TaskRun second = taskRun(plate, "A02", "second", afterItStarts(running));
			CompletableFuture<Void> killer = CompletableFuture.runAsync(() -> {
				try {
					running.await();
				}
				catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
				ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
			});
			runner.run(second);
			killer.get(1, TimeUnit.MINUTES);

			assertTrue(second.log().lines().stream().anyMatch(l -> l.startsWith("the warm CellProfiler (process " + pid
				+ ") died during the task: ") && l.endsWith("; running the task again in a fresh process")), String.join("\n", second.log().lines()));
			assertEquals("Complete", done(second));
			assertEquals(plate.planted().get("A02"), (int) (outputs(second).get("MyExpt_Nuclei.csv").strip().split("\n").length - 1L));
			// The next task gets a new warm CellProfiler.
			TaskRun third = run(runner, plate, "B01", "third");
			assertNotEquals(pid, warmPid(third.log()));
		}
	}

	@Test
	void aTaskStoppedByItsTimeoutEndsTheWarmProcessAndTheNextTaskGetsANewOne() throws Exception {
		Plate plate = plate();
		try (CellProfilerRunner runner = runner(new CellProfilerRunner.Warm(true, 0, 0))) {
			long pid = warmPid(run(runner, plate, "A01", "first").log());
			CountDownLatch running = new CountDownLatch(1);
			TaskRun second = taskRun(plate, "A02", "second", afterItStarts(running));
			Thread task = new Thread(() -> assertThrows(InterruptedException.class, () -> runner.run(second)));
			task.start();
			assertTrue(running.await(2, TimeUnit.MINUTES));
			task.interrupt(); // what the worker does when TASK_TIMEOUT passes
			task.join(TimeUnit.MINUTES.toMillis(1));
			assertFalse(task.isAlive());
			ProcessHandle.of(pid).ifPresent(ended -> assertTrue(ended.onExit().completeOnTimeout(null, 30, TimeUnit.SECONDS)
				.thenApply(h -> h != null).join(), "the warm process was ended"));

			TaskRun third = run(runner, plate, "A02", "third");
			assertNotEquals(pid, warmPid(third.log()));
			assertEquals("Complete", done(third));
		}
	}

	@Test
	void aWarmCellProfilerIsReplacedAtItsTaskLimitAndMemoryCeiling() throws Exception {
		Plate plate = plate();
		try (CellProfilerRunner byTasks = runner(new CellProfilerRunner.Warm(true, 2, 0))) {
			TaskRun first = run(byTasks, plate, "A01", "t1"), second = run(byTasks, plate, "A02", "t2");
			TaskRun third = run(byTasks, plate, "B01", "t3");
			assertEquals(warmPid(first.log()), warmPid(second.log()));
			assertTrue(second.log().lines().stream().anyMatch(l -> l.endsWith("is replaced before the next task: it has run"
				+ " 2 tasks (CELLPROFILER_WARM_TASKS)")), String.join("\n", second.log().lines()));
			assertNotEquals(warmPid(second.log()), warmPid(third.log()));
		}
		try (CellProfilerRunner byMemory = runner(new CellProfilerRunner.Warm(true, 0, 1))) {
			TaskRun first = run(byMemory, plate, "A01", "m1"), second = run(byMemory, plate, "A02", "m2");
			assertTrue(first.log().lines().stream().anyMatch(l -> l.matches(".*is replaced before the next task: it holds \\d+ MiB,"
				+ " more than 1 MiB \\(CELLPROFILER_WARM_MEMORY\\)")), String.join("\n", first.log().lines()));
			assertNotEquals(warmPid(first.log()), warmPid(second.log()));
			assertEquals("Complete", done(second));
		}
	}

	@Test
	void aProgramThatIsNotCellProfilersPythonLauncherRunsAProcessPerTask() throws Exception {
		Plate plate = plate();
		// A wrapper script: the warm runner must not bypass it.
		Path wrapper = Files.writeString(dir.resolve("cellprofiler-wrapper"),
			"#!/bin/sh\nexec " + CellProfilerInstall.executable() + " \"$@\"\n");
		wrapper.toFile().setExecutable(true);
		try (CellProfilerRunner runner = new CellProfilerRunner(new CellProfilerRunner.Settings(wrapper.toString(), null,
			false, false, new CellProfilerRunner.Warm(true, 0, 0)))) {
			TaskRun run = run(runner, plate, "A01", "wrapped");
			assertEquals("Complete", done(run));
			assertTrue(run.log().lines().contains(wrapper + " (CELLPROFILER_EXECUTABLE) is not a Python launcher of"
				+ " CellProfiler, so this worker runs a process per task (CELLPROFILER_WARM needs CellProfiler's Python)"),
				String.join("\n", run.log().lines()));
		}
	}

	/** A plate of one image per well, its LoadData CSV and the nuclei planted in each. */
	private record Plate(Path csv, Path images, Map<String, Integer> planted) {}

	private Plate plate() throws IOException {
		Path images = Files.createDirectories(dir.resolve("plate images"));
		StringBuilder csv = new StringBuilder("FileName_DNA,PathName_DNA,Metadata_Plate,Metadata_Well\n");
		Map<String, Integer> planted = new LinkedHashMap<>();
		for (int i = 0; i < WELLS.size(); i++) {
			List<NucleiImages.Nucleus> nuclei = NucleiImages.nuclei(i + 1);
			planted.put(WELLS.get(i), nuclei.size());
			ImageIO.write(NucleiImages.render(i + 1, nuclei), "png", images.resolve(WELLS.get(i) + ".png").toFile());
			csv.append(WELLS.get(i)).append(".png,").append(images).append(",Plate 1,").append(WELLS.get(i)).append('\n');
		}
		return new Plate(Files.writeString(dir.resolve("load data.csv"), csv), images, planted);
	}

	private CellProfilerRunner runner(CellProfilerRunner.Warm warm) {
		return new CellProfilerRunner(new CellProfilerRunner.Settings(CellProfilerInstall.executable().toString(), null,
			false, false, warm));
	}

	private TaskRun run(CellProfilerRunner runner, Plate plate, String well, String name) throws Exception {
		TaskRun run = taskRun(plate, well, name, line -> {});
		runner.run(run);
		return run;
	}

	/** A task of one well laid out as the worker lays it out: its own folder, the pipeline and CSV fetched. */
	private TaskRun taskRun(Plate plate, String well, String name, java.util.function.Consumer<String> echo) throws IOException {
		Task task = new Task("1", Engine.CELLPROFILER, "projects/nuclei.cppipe",
			CellProfilerCommandTest.group("Metadata_Plate", "Plate 1", "Metadata_Well", well), Map.of(), List.of(),
			"projects/load data.csv", null, "out/Plate 1/" + well);
		Path work = Files.createDirectories(dir.resolve(name + " " + well));
		Path input = Files.createDirectories(work.resolve("input/projects"));
		Files.copy(plate.csv(), input.resolve("load data.csv"));
		Path script = Files.createDirectories(work.resolve("script")).resolve("nuclei.cppipe");
		try (var in = getClass().getResourceAsStream("nuclei.cppipe")) {
			Files.copy(in, script);
		}
		return new TaskRun(task, work, script, work.resolve("input"), Files.createDirectories(work.resolve("output")),
			new TaskLog(echo));
	}

	/** Every output file's text, by name. */
	private static Map<String, String> outputs(TaskRun run) throws IOException {
		Map<String, String> files = new TreeMap<>();
		try (Stream<Path> paths = Files.list(run.outputDir())) {
			for (Path p : paths.toList()) files.put(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
		}
		return files;
	}

	/**
	 * A CSV with the values that change from one run to the next whatever runs it blanked: CellProfiler's
	 * per-module CPU and wall times (ExecutionTime_ columns) and the run's timestamp.
	 */
	static String comparable(String csv) {
		List<String> lines = csv.lines().toList();
		if (lines.isEmpty()) return csv;
		List<String> header = List.of(lines.get(0).split(",", -1));
		StringBuilder out = new StringBuilder(lines.get(0)).append('\n');
		for (String line : lines.subList(1, lines.size())) {
			if (line.startsWith("Run_Timestamp,")) {
				out.append("Run_Timestamp,*\n");
				continue;
			}
			String[] cells = line.split(",", -1);
			for (int i = 0; i < cells.length; i++) {
				if (i < header.size() && header.get(i).startsWith("ExecutionTime_")) cells[i] = "*";
			}
			out.append(String.join(",", cells)).append('\n');
		}
		return out.toString();
	}

	private static String done(TaskRun run) throws IOException {
		return Files.readString(run.workDir().resolve(CellProfilerRunner.DONE_FILE)).strip();
	}

	private static final Pattern IN_WARM = Pattern.compile("^in the warm CellProfiler \\(process (\\d+)\\), its task \\d+$");

	/** The warm process the task ran in, as its log names it. */
	private static long warmPid(TaskLog log) {
		for (String line : log.lines()) {
			Matcher m = IN_WARM.matcher(line);
			if (m.find()) return Long.parseLong(m.group(1));
		}
		throw new AssertionError("the task did not run in a warm CellProfiler:\n" + String.join("\n", log.lines()));
	}

	/** Counts down at the first line CellProfiler prints for the task (the worker's own lines come first). */
	private static java.util.function.Consumer<String> afterItStarts(CountDownLatch running) {
		boolean[] sent = {false};
		return line -> {
			if (sent[0]) running.countDown();
			if (IN_WARM.matcher(line).find()) sent[0] = true;
		};
	}

	private static String exitCode(TaskFailure failure) {
		Matcher m = Pattern.compile("exited with code (\\d+)").matcher(failure.getMessage());
		assertTrue(m.find(), failure.getMessage());
		return m.group(1);
	}
}
