package org.parascope.cellprofiler;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One CellProfiler command line (docs/compatibility.md §6), as an argv list: every path and the metadata are one
 * argument each, so spaces in them need no quoting (Distributed-CellProfiler split its command on
 * whitespace).
 *
 * @param inputFolder      {@code -i}; null to leave CellProfiler's default
 * @param dataFile         LoadData CSV, .txt file list or batch .h5; null for none
 * @param metadata         the task's group, passed as {@code -g K=V,K=V}
 * @param pluginsDirectory null unless USE_PLUGINS
 */
record CellProfilerCommand(String executable, Path pipeline, Path inputFolder, Path outputDir, Path doneFile,
	Path dataFile, Map<String, String> metadata, Path pluginsDirectory, boolean alwaysContinue)
{
	CellProfilerCommand {
		metadata = new LinkedHashMap<>(metadata);
	}

	List<String> argv() {
		List<String> argv = new ArrayList<>(List.of(executable, "-c", "-r", "-p", pipeline.toString()));
		if (inputFolder != null) argv.addAll(List.of("-i", inputFolder.toString()));
		argv.addAll(List.of("-o", outputDir.toString(), "-d", doneFile.toString()));
		if (dataFile != null) {
			switch (DataFileKind.of(dataFile.getFileName().toString())) {
				case LOAD_DATA -> argv.add("--data-file=" + dataFile);
				case FILE_LIST -> argv.add("--file-list=" + dataFile);
				case BATCH -> { /* the batch file holds its image sets; -p names it */ }
			}
		}
		if (!metadata.isEmpty()) argv.addAll(List.of("-g", groups(metadata)));
		if (pluginsDirectory != null) argv.add("--plugins-directory=" + pluginsDirectory);
		if (alwaysContinue) argv.add("--always-continue");
		return argv;
	}

	/** The group as CellProfiler's -g reads it: {@code Metadata_Plate=P1,Metadata_Well=A01}. */
	static String groups(Map<String, String> metadata) {
		return metadata.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
	}

	/** The command for people (the task's log): arguments holding spaces or quotes are single-quoted. */
	String display() {
		return argv().stream()
			.map(a -> a.isEmpty() || a.matches(".*[\\s'\"].*") ? "'" + a.replace("'", "'\\''") + "'" : a)
			.collect(Collectors.joining(" "));
	}
}
