package org.parascope.fiji;

import java.util.LinkedHashMap;
import java.util.Map;

import org.parascope.worker.TaskRun;

/**
 * The values a Fiji script or macro gets from its task, by name: the job's shared values
 * (Distributed-Fiji's shared_metadata), then the task's own metadata (its group wins), then
 * {@code input} and {@code output}, the task's input and fresh output folders.
 */
final class ScriptValues {

	private ScriptValues() {}

	static Map<String, String> of(TaskRun run) {
		Map<String, String> values = new LinkedHashMap<>(run.task().parameters());
		values.putAll(run.task().metadata());
		values.put("input", run.inputDir().toString());
		values.put("output", run.outputDir().toString());
		return values;
	}
}
