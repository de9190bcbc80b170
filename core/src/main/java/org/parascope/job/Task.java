package org.parascope.job;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One independent unit of work: one group of a job, one queue message.
 *
 * @param id         unique within its job (the group's index, as text)
 * @param engine     what runs it
 * @param script     key of the macro, script or pipeline in the workspace store; null when the
 *                   worker's configuration names it (Distributed-Fiji's SCRIPT_DOWNLOAD_URL)
 * @param metadata   the group's values in file order; handed to the script as parameters
 * @param parameters values shared by every task of the job (DF shared_metadata, DS top-level keys)
 * @param inputs     keys in the source store to fetch before running
 * @param dataFile   CellProfiler LoadData CSV, batch .h5 or .txt file list; null for Fiji
 * @param inputFolder CellProfiler's -i folder; null when unused
 * @param output     destination prefix of this task's results: the job's output plus the metadata id
 */
public record Task(
	String id,
	Engine engine,
	String script,
	Map<String, String> metadata,
	Map<String, String> parameters,
	List<String> inputs,
	String dataFile,
	String inputFolder,
	String output)
{
	public Task {
		// Copies keep the file's order: metadata order is the output folder's name order.
		metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
		parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
		inputs = List.copyOf(inputs);
	}

	/** How people name this task: its metadata, e.g. {@code Metadata_Plate=P1, Metadata_Well=A01}. */
	public String label() {
		if (metadata.isEmpty()) return "task " + id;
		StringBuilder b = new StringBuilder();
		metadata.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append('=').append(v));
		return b.toString();
	}
}
