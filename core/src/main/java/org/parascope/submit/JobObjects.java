package org.parascope.submit;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.parascope.ParascopeException;
import org.parascope.job.Job;
import org.parascope.store.ObjectStore;
import org.parascope.store.StoredObject;

/**
 * Whether the objects a job names are where its workers will look: the stores are reachable, the
 * pipelines, scripts and data files are in the workspace store and the inputs in the source store.
 * Reads only (HEADs and listings); every missing key is named. docs/jobs.md, "Checking a job".
 */
public final class JobObjects {

	/**
	 * A folder with more wanted keys than this is listed once (1,000 keys a request) rather than asked
	 * about key by key (one HEAD each).
	 */
	static final int LIST_ABOVE = 10;

	private JobObjects() {}

	/**
	 * @param stores by the name people know them by (WORKSPACE_BUCKET ...), each with what it must hold
	 * @return every problem found, empty when all is there
	 */
	public static List<String> check(Job job, ObjectStore workspace, ObjectStore source, ObjectStore destination) {
		List<String> problems = new ArrayList<>();
		boolean workspaceOk = reachable("WORKSPACE_BUCKET", workspace, problems);
		boolean sourceOk = reachable("SOURCE_BUCKET", source, problems);
		reachable("DESTINATION_BUCKET", destination, problems);
		// Keys are kept in sets: a job's scripts and data files are few, its inputs as many as its files.
		Set<String> workspaceKeys = new TreeSet<>(), inputs = new TreeSet<>();
		job.forEachTask(task -> {
			if (task.script() != null) workspaceKeys.add(task.script());
			if (task.dataFile() != null) workspaceKeys.add(task.dataFile());
			inputs.addAll(task.inputs());
		});
		if (workspaceOk) missing(workspace, workspaceKeys).forEach(key -> problems.add("WORKSPACE_BUCKET " + workspace.location()
			+ ": no object " + key));
		if (sourceOk) missing(source, inputs).forEach(key -> problems.add("SOURCE_BUCKET " + source.location()
			+ ": no input " + key));
		return problems;
	}

	private static boolean reachable(String name, ObjectStore store, List<String> problems) {
		try {
			store.checkReachable();
			return true;
		}
		catch (ParascopeException e) {
			problems.add(name + " " + store.location() + ": " + e.getMessage());
			return false;
		}
	}

	/** The keys not in the store, in order: folders with many keys listed, the others asked one by one. */
	static List<String> missing(ObjectStore store, Set<String> keys) {
		Map<String, List<String>> byFolder = new TreeMap<>();
		for (String key : keys) {
			int slash = key.lastIndexOf('/');
			byFolder.computeIfAbsent(slash < 0 ? "" : key.substring(0, slash + 1), f -> new ArrayList<>()).add(key);
		}
		List<String> missing = new ArrayList<>();
		byFolder.forEach((folder, wanted) -> {
			if (wanted.size() <= LIST_ABOVE) {
				for (String key : wanted) if (!store.exists(key)) missing.add(key);
				return;
			}
			Set<String> present = new HashSet<>();
			try (Stream<StoredObject> listed = store.list(folder)) {
				listed.forEach(o -> present.add(o.key()));
			}
			for (String key : wanted) if (!present.contains(key)) missing.add(key);
		});
		return missing;
	}
}
