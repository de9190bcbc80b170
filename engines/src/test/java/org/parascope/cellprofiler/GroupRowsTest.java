package org.parascope.cellprofiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.ParascopeException;
import org.parascope.worker.TaskLog;

/**
 * The rows DOWNLOAD_FILES fetches are the rows CellProfiler's -g runs, whatever the CSV's and the
 * group's formatting: asked of the real CellProfiler (./run-tests runs this on 4.2.8 and on the 5
 * nightly) with plates as they look in DCP users' CSVs. The nuclei pipeline's LoadData groups by
 * Plate and Well. Every question is asked twice, of a CellProfiler started for it and of one warm
 * CellProfiler (CELLPROFILER_WARM), and both must answer alike.
 */
class GroupRowsTest {

	private static final String HEADER = "FileName_DNA,PathName_DNA,Metadata_Plate,Metadata_Well,Metadata_Site\n";

	@TempDir
	Path dir;
	private Path pipeline;
	private GroupRows groupRows;

	private static WarmCellProfiler warm;

	@BeforeAll
	static void startWarm() throws Exception {
		String executable = CellProfilerInstall.executable().toString();
		warm = WarmCellProfiler.start(CellProfilerPython.launcher(executable).orElseThrow(), WarmScript.path(), line -> {});
	}

	@AfterAll
	static void stopWarm() {
		warm.close();
	}

	@BeforeEach
	void pipeline() throws Exception {
		pipeline = Files.copy(Path.of(getClass().getResource("nuclei.cppipe").toURI()), dir.resolve("nuclei.cppipe"));
		groupRows = new GroupRows(CellProfilerInstall.executable().toString(), null);
	}

	@Test
	void aColumnOfWholeNumbersIsGroupedByTheNumbers() throws Exception {
		// Plates as numbers, one zero-padded: LoadData reads the column as numbers, so plate 01 is group 1.
		Path csv = csv("numbers.csv", row("a", "1086292037", "A01", "01") + row("b", "1086292037", "A01", "02")
			+ row("c", "1086292037", "A02", "01") + "\n" + row("d", "01", "A01", "01"));

		assertEquals(Set.of(0, 1), rows(csv, "Metadata_Well", "A01", "Metadata_Plate", "1086292037"), "keys in any order");
		assertEquals(Set.of(3), rows(csv, "Metadata_Plate", "1", "Metadata_Well", "A01"), "01 is 1; the blank line is no row");
		ParascopeException e = assertThrows(ParascopeException.class,
			() -> rows(csv, "Metadata_Plate", "01", "Metadata_Well", "A01"));
		assertTrue(e.getMessage().startsWith("numbers.csv has no rows for this task: CellProfiler's -g"
			+ " Metadata_Plate=01,Metadata_Well=A01 matches none of its 3 group(s), such as"), e.getMessage());
	}

	@Test
	void aColumnWithTextKeepsItsValuesAsWritten() throws Exception {
		// One plate name with a space makes the whole column text: there, 01 stays 01.
		Path csv = csv("text.csv", row("a", "Plate 1", "A01", "1") + row("b", "01", "A01", "1") + row("c", "01", "B01", "2"));

		assertEquals(Set.of(1), rows(csv, "Metadata_Plate", "01", "Metadata_Well", "A01"));
	}

	@Test
	void aGroupOfOtherKeysThanThePipelinesIsRefusedWithCellProfilersWords() throws Exception {
		Path csv = csv("keys.csv", row("a", "1", "A01", "1"));
		ParascopeException e = assertThrows(ParascopeException.class, () -> rows(csv, "Metadata_Plate", "1"));
		assertTrue(e.getMessage().startsWith("keys.csv: CellProfiler cannot pick the rows of group Metadata_Plate=1 (-g):"
			+ " ValueError: The grouping keys specified on the command line (Metadata_Plate) must be the same as those"
			+ " defined by the modules in the pipeline (Metadata_Plate, Metadata_Well)"), e.getMessage());
	}

	/** The rows from a CellProfiler started for the question, which the warm one must give too (or fail alike). */
	private Set<Integer> rows(Path csv, String... keyValues) throws Exception {
		Map<String, String> group = new LinkedHashMap<>();
		for (int i = 0; i < keyValues.length; i += 2) group.put(keyValues[i], keyValues[i + 1]);
		String name = csv.getFileName().toString();
		Set<Integer> byProcess = null, byWarm = null;
		ParascopeException processFailed = null, warmFailed = null;
		try {
			byProcess = groupRows.of(pipeline, csv, name, group, dir.resolve("work-" + System.nanoTime()));
		}
		catch (ParascopeException e) {
			processFailed = e;
		}
		long pid = warm.pid();
		try {
			String text = CellProfilerCommand.groups(group);
			byWarm = GroupRows.rows(warm.rows(pipeline, csv, text, null, new TaskLog()), name, text);
		}
		catch (ParascopeException e) {
			warmFailed = e;
		}
		assertEquals(pid, warm.pid());
		assertEquals(byProcess, byWarm, "the warm CellProfiler's rows");
		assertEquals(processFailed == null ? null : processFailed.getMessage(), warmFailed == null ? null : warmFailed.getMessage(),
			"the warm CellProfiler's refusal");
		if (processFailed != null) throw processFailed;
		return byProcess;
	}

	private Path csv(String name, String rows) throws Exception {
		return Files.writeString(dir.resolve(name), HEADER + rows);
	}

	private static String row(String image, String plate, String well, String site) {
		return image + ".tif,/home/ubuntu/bucket/plate," + (plate.contains(" ") ? '"' + plate + '"' : plate) + ","
			+ well + "," + site + "\n";
	}
}
