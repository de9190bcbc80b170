package org.parascope.cellprofiler;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.ParascopeException;
import org.parascope.job.Engine;
import org.parascope.job.Task;
import org.parascope.worker.TaskFailure;
import org.parascope.worker.TaskLog;
import org.parascope.worker.TaskRun;

/** A task fails, with a reason and CellProfiler's output in its log, unless CellProfiler says Complete. */
class CellProfilerRunnerTest {

	@TempDir
	Path dir;

	@Test
	void aPipelineThatFailsFailsTheTaskWithCellProfilersOutputInItsLog() throws Exception {
		// Mount mode: the CSV's path is used as written, and no image is there.
		TaskRun run = taskRun("FileName_DNA,PathName_DNA,Metadata_Plate,Metadata_Well\n"
			+ "A01.png," + dir.resolve("no such folder") + ",Plate 1,A01\n");
		Files.copy(Path.of(getClass().getResource("nuclei.cppipe").toURI()), run.script());
		CellProfilerRunner runner = runner(CellProfilerInstall.executable().toString());

		TaskFailure failure = assertThrows(TaskFailure.class, () -> runner.run(run));

		assertTrue(failure.getMessage().startsWith("CellProfiler exited with code 255; its last words: "), failure.getMessage());
		List<String> log = run.log().lines();
		assertTrue(log.get(0).startsWith("running " + CellProfilerInstall.executable() + " -c -r -p "), log.get(0));
		assertTrue(log.stream().anyMatch(l -> l.contains("no such folder")), "CellProfiler's complaint: " + log);
	}

	@Test
	void anExitCodeOfZeroWithoutCompleteInTheDoneFileFailsTheTask() throws Exception {
		// CellProfiler 5 itself exits non-zero whenever its done file does not read Complete, so a stand-in
		// plays a CellProfiler (older ones, wrappers) that exits 0 after writing Failure.
		Path standIn = Files.writeString(dir.resolve("cellprofiler"), """
			#!/bin/sh
			while [ $# -gt 0 ]; do [ "$1" = -d ] && echo Failure > "$2"; shift; done
			echo 'Error detected during run of module IdentifyPrimaryObjects'
			""");
		Files.setPosixFilePermissions(standIn, PosixFilePermissions.fromString("rwxr-xr-x"));
		TaskRun run = taskRun("FileName_DNA,PathName_DNA,Metadata_Plate,Metadata_Well\n");

		TaskFailure failure = assertThrows(TaskFailure.class, () -> runner(standIn.toString()).run(run));

		assertTrue(failure.getMessage().equals("CellProfiler exited with code 0 but its done file reads 'Failure', not"
			+ " 'Complete'; its last words: Error detected during run of module IdentifyPrimaryObjects"), failure.getMessage());
		assertTrue(run.log().lines().contains("Error detected during run of module IdentifyPrimaryObjects"));
	}

	@Test
	void aMissingCellProfilerIsNamed() throws Exception {
		TaskRun run = taskRun("FileName_DNA,PathName_DNA,Metadata_Plate,Metadata_Well\n");
		ParascopeException e = assertThrows(ParascopeException.class, () -> runner("/opt/none/cellprofiler").run(run));
		assertTrue(e.getMessage().startsWith("cannot start /opt/none/cellprofiler: "), e.getMessage());
	}

	@Test
	void missingPluginsAreNamedBeforeCellProfilerStarts() throws Exception {
		TaskRun run = taskRun("FileName_DNA,PathName_DNA,Metadata_Plate,Metadata_Well\n");
		CellProfilerRunner runner = new CellProfilerRunner(new CellProfilerRunner.Settings("/opt/none/cellprofiler",
			dir.resolve("plugins"), false, false, CellProfilerRunner.Warm.OFF));
		ParascopeException e = assertThrows(ParascopeException.class, () -> runner.run(run));
		assertTrue(e.getMessage().startsWith("USE_PLUGINS is on but the CellProfiler plugins folder " + dir.resolve("plugins")),
			e.getMessage());
	}

	private static CellProfilerRunner runner(String executable) {
		return new CellProfilerRunner(new CellProfilerRunner.Settings(executable, null, false, false, CellProfilerRunner.Warm.OFF));
	}

	/** A task of group Plate 1, A01 with the given LoadData CSV, laid out as the worker lays it out. */
	private TaskRun taskRun(String csv) throws Exception {
		Task task = new Task("1", Engine.CELLPROFILER, "projects/nuclei.cppipe",
			CellProfilerCommandTest.group("Metadata_Plate", "Plate 1", "Metadata_Well", "A01"), Map.of(), List.of(),
			"projects/load data.csv", null, "out/Plate 1/A01");
		Path input = Files.createDirectories(dir.resolve("input"));
		Files.createDirectories(input.resolve("projects"));
		Files.writeString(input.resolve(task.dataFile()), csv);
		return new TaskRun(task, dir, Files.createDirectories(dir.resolve("script")).resolve("nuclei.cppipe"), input,
			Files.createDirectories(dir.resolve("output")), new TaskLog());
	}
}
