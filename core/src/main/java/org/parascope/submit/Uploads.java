package org.parascope.submit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.parascope.ParascopeException;
import org.parascope.store.KeyRule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The files a job needs in its buckets before its tasks are sent, as {@code submit --upload LIST} reads
 * them: {@code {"workspace": {KEY: FILE}, "source": {KEY: FILE}}}: pipelines and data files for
 * WORKSPACE_BUCKET, images for SOURCE_BUCKET. Relative files are found from the list's folder. Read and
 * checked whole (every file there) before anything is stored.
 */
public record Uploads(Map<String, Path> workspace, Map<String, Path> source) {

	private static final JsonMapper JSON = new JsonMapper();

	public Uploads {
		workspace = Collections.unmodifiableMap(new LinkedHashMap<>(workspace));
		source = Collections.unmodifiableMap(new LinkedHashMap<>(source));
	}

	public int count() {
		return workspace.size() + source.size();
	}

	/** The files' bytes, all of them (those already stored are skipped by the upload, not here). */
	public long bytes() {
		long total = 0;
		for (Map<String, Path> files : List.of(workspace, source)) {
			for (Path file : files.values()) {
				try {
					total += Files.size(file);
				}
				catch (IOException e) {
					throw new ParascopeException("cannot read " + file + ": " + e.getMessage());
				}
			}
		}
		return total;
	}

	public static Uploads read(Path list) {
		JsonNode root;
		try {
			root = JSON.readTree(list.toFile());
		}
		catch (IOException e) {
			throw new ParascopeException(list + ": " + (Files.exists(list) ? "not JSON: " + e.getMessage() : "no such upload list"));
		}
		if (root == null || !root.isObject()) throw new ParascopeException(list + ": expected {\"workspace\": {KEY: FILE}, "
			+ "\"source\": {KEY: FILE}}");
		List<String> problems = new ArrayList<>();
		for (Iterator<String> names = root.fieldNames(); names.hasNext();) {
			String name = names.next();
			if (!name.equals("workspace") && !name.equals("source")) problems.add("unknown key \"" + name + "\" (expected "
				+ "\"workspace\" or \"source\")");
		}
		Path folder = list.toAbsolutePath().getParent();
		Uploads uploads = new Uploads(files(root, "workspace", folder, problems), files(root, "source", folder, problems));
		if (!problems.isEmpty()) throw new ParascopeException(list + ": " + String.join("; ", problems));
		return uploads;
	}

	private static Map<String, Path> files(JsonNode root, String bucket, Path folder, List<String> problems) {
		Map<String, Path> files = new LinkedHashMap<>();
		JsonNode entries = root.get(bucket);
		if (entries == null) return files;
		if (!entries.isObject()) {
			problems.add(bucket + ": expected an object of object keys and files");
			return files;
		}
		entries.fields().forEachRemaining(e -> {
			String at = bucket + ".\"" + e.getKey() + "\"";
			String key = e.getKey();
			if (key.isEmpty() || key.startsWith("/") || key.endsWith("/")) {
				problems.add(at + ": not an object key (no leading or trailing '/')");
			} else if (KeyRule.fileProblem(key) != null) {
				problems.add(at + ": the key " + KeyRule.fileProblem(key));
			} else if (!e.getValue().isTextual()) {
				problems.add(at + ": expected the path of a file");
			} else {
				Path file = folder.resolve(e.getValue().textValue());
				if (Files.isRegularFile(file)) files.put(key, file);
				else problems.add(at + ": no such file: " + file);
			}
		});
		return files;
	}
}
