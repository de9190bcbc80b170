package org.parascope.job;

import java.util.List;
import java.util.Map;

import org.parascope.store.KeyRule;

/**
 * {@link KeyRule} applied to what a job or task message names: each key, folder and output that
 * becomes a file path or an object key, reported with its JSON path (docs/security.md).
 */
final class KeyChecks {

	private KeyChecks() {}

	/** An object key (script, data file, input): the rule, and it must name a file. */
	static void key(String path, String key, Problems problems) {
		String problem = KeyRule.fileProblem(key);
		if (problem != null) problems.add(path, quoted(key) + " " + problem + "; keys and folders must stay below"
			+ " their bucket or folder");
	}

	/** A prefix (output) may be empty: the top of its bucket. */
	static void prefix(String path, String prefix, Problems problems) {
		String problem = KeyRule.problem(prefix);
		if (problem != null) problems.add(path, quoted(prefix) + " " + problem + "; keys and folders must stay below"
			+ " their bucket or folder");
	}

	/** The CellProfiler input folder: below the bucket, even written with a leading '/' as DCP jobs may. */
	static void folder(String path, String folder, Problems problems) {
		if (folder != null) prefix(path, folder.replaceFirst("^/+", ""), problems);
	}

	static void keys(String path, List<String> keys, Problems problems) {
		for (int i = 0; i < keys.size(); i++) key(path + "[" + i + "]", keys.get(i), problems);
	}

	/**
	 * The task's output (the job's output, then the metadata id), which the job's output passed already:
	 * a problem is the metadata's, blamed on the first value that has one on its own, else on the whole.
	 */
	static boolean output(String metadataPath, String metadataId, String output, Map<String, String> metadata,
		Problems problems)
	{
		String problem = KeyRule.problem(output);
		if (problem == null) return true;
		String blamed = metadataPath;
		for (Map.Entry<String, String> e : metadata.entrySet()) {
			if (KeyRule.problem(e.getValue()) != null) {
				blamed = Fields.child(metadataPath, e.getKey());
				break;
			}
		}
		problems.add(blamed, "the task's output folder " + quoted(output) + " (from its metadata id "
			+ quoted(metadataId) + ") " + problem + "; a metadata id must name a folder below the job's output");
		return false;
	}

	private static String quoted(String key) {
		return "\"" + KeyRule.printable(key) + "\"";
	}
}
