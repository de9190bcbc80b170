package org.parascope.worker;

import org.parascope.config.Config;
import org.parascope.config.ConfigKey;
import org.parascope.store.ObjectStore;

/**
 * CHECK_IF_DONE: a task counts as done when its output prefix already holds at least
 * EXPECTED_NUMBER_FILES objects of at least MIN_FILE_SIZE_BYTES whose names contain
 * NECESSARY_STRING. (Distributed-CellProfiler compared the string with sizes; names are meant.)
 */
public record DoneCheck(boolean enabled, int expectedFiles, long minBytes, String necessaryString) {

	public static DoneCheck of(Config config) {
		return new DoneCheck(config.bool(ConfigKey.CHECK_IF_DONE_BOOL),
			config.integer(ConfigKey.EXPECTED_NUMBER_FILES),
			config.integer(ConfigKey.MIN_FILE_SIZE_BYTES),
			config.string(ConfigKey.NECESSARY_STRING));
	}

	public boolean isDone(ObjectStore destination, String outputPrefix) {
		if (!enabled) return false;
		String prefix = outputPrefix.endsWith("/") ? outputPrefix : outputPrefix + "/";
		// Stops listing as soon as enough files are found.
		return destination.list(prefix)
			.filter(o -> o.size() >= minBytes)
			.filter(o -> necessaryString.isEmpty() || o.name().contains(necessaryString))
			.limit(expectedFiles)
			.count() >= expectedFiles;
	}
}
