package org.parascope.cellprofiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.parascope.ParascopeException;

/** The CellProfiler command line: one argument per path and one for the group, whatever they hold. */
class CellProfilerCommandTest {

	private static final Map<String, String> GROUP = group("Metadata_Plate", "Plate 1", "Metadata_Well", "A 01");

	@Test
	void aLoadDataTaskWithSpacesInPathsAndMetadata() {
		CellProfilerCommand command = new CellProfilerCommand("/opt/cell profiler/bin/cellprofiler",
			Path.of("/task dir/script/my pipeline.cppipe"), Path.of("/task dir/input/plate 1"), Path.of("/task dir/output"),
			Path.of("/task dir/output/cp.is.done"), Path.of("/task dir/input/load data.csv"), GROUP, null, false);

		assertEquals(List.of("/opt/cell profiler/bin/cellprofiler", "-c", "-r", "-p", "/task dir/script/my pipeline.cppipe",
			"-i", "/task dir/input/plate 1", "-o", "/task dir/output", "-d", "/task dir/output/cp.is.done",
			"--data-file=/task dir/input/load data.csv", "-g", "Metadata_Plate=Plate 1,Metadata_Well=A 01"), command.argv());
		assertTrue(command.display().contains(" -g 'Metadata_Plate=Plate 1,Metadata_Well=A 01'"), command.display());
	}

	@Test
	void aFileListIsGivenAsFileListAndABatchFileAsNothing() {
		assertTrue(command(Path.of("/w/in/files.TXT"), null, false).argv().contains("--file-list=/w/in/files.TXT"));
		List<String> batch = command(Path.of("/w/in/Batch_data.h5"), null, false).argv();
		assertTrue(batch.stream().noneMatch(a -> a.startsWith("--data-file") || a.startsWith("--file-list")), batch.toString());
		List<String> none = command(null, null, false).argv();
		assertTrue(none.stream().noneMatch(a -> a.startsWith("--data-file") || a.startsWith("--file-list")), none.toString());
	}

	@Test
	void pluginsAndAlwaysContinueAsConfigured() {
		List<String> plain = command(Path.of("/w/load.csv"), null, false).argv();
		assertTrue(plain.stream().noneMatch(a -> a.startsWith("--plugins-directory") || a.equals("--always-continue")));

		List<String> both = command(Path.of("/w/load.csv"), Path.of("/home/ubuntu/CellProfiler-plugins/active_plugins"),
			true).argv();
		assertEquals(List.of("--plugins-directory=/home/ubuntu/CellProfiler-plugins/active_plugins", "--always-continue"),
			both.subList(both.size() - 2, both.size()));
	}

	@Test
	void anUnknownDataFileIsRefusedByName() {
		ParascopeException e = assertThrows(ParascopeException.class, () -> command(Path.of("/w/plate.xlsx"), null, false).argv());
		assertTrue(e.getMessage().contains("plate.xlsx") && e.getMessage().contains(".csv"), e.getMessage());
	}

	private static CellProfilerCommand command(Path dataFile, Path plugins, boolean alwaysContinue) {
		return new CellProfilerCommand("cellprofiler", Path.of("/w/p.cppipe"), null, Path.of("/w/out"),
			Path.of("/w/out/cp.is.done"), dataFile, GROUP, plugins, alwaysContinue);
	}

	static Map<String, String> group(String... keysAndValues) {
		Map<String, String> group = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) group.put(keysAndValues[i], keysAndValues[i + 1]);
		return group;
	}
}
