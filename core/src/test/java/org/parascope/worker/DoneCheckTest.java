package org.parascope.worker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.store.LocalObjectStore;

class DoneCheckTest {

	@TempDir
	Path tmp;

	private LocalObjectStore storeWith(String... files) throws Exception {
		Path root = Files.createDirectories(tmp.resolve("store"));
		for (String f : files) {
			String[] nameAndSize = f.split(":");
			Path p = root.resolve(nameAndSize[0]);
			Files.createDirectories(p.getParent());
			Files.write(p, new byte[Integer.parseInt(nameAndSize[1])]);
		}
		return new LocalObjectStore(root);
	}

	@Test
	void doneWhenEnoughLargeEnoughFilesWithTheStringInTheirNames() throws Exception {
		var store = storeWith("out/A01/cells.csv:10", "out/A01/nuclei.csv:10", "out/A01/image.png:10");
		assertTrue(new DoneCheck(true, 2, 5, ".csv").isDone(store, "out/A01"));
		assertFalse(new DoneCheck(true, 3, 5, ".csv").isDone(store, "out/A01"), "only two names contain .csv");
		assertFalse(new DoneCheck(true, 2, 11, "").isDone(store, "out/A01"), "files are too small");
		assertTrue(new DoneCheck(true, 3, 1, "").isDone(store, "out/A01/"));
	}

	@Test
	void theStringIsMatchedAgainstNamesNotSizes() throws Exception {
		// Distributed-CellProfiler compared NECESSARY_STRING with file sizes; "10" must not match a 10-byte file.
		var store = storeWith("out/A01/cells.csv:10");
		assertFalse(new DoneCheck(true, 1, 1, "10").isDone(store, "out/A01"));
	}

	@Test
	void aSiblingWithALongerNameDoesNotCount() throws Exception {
		var store = storeWith("out/A010/cells.csv:10");
		assertFalse(new DoneCheck(true, 1, 1, "").isDone(store, "out/A01"));
	}

	@Test
	void offMeansNeverDone() throws Exception {
		var store = storeWith("out/A01/cells.csv:10");
		assertFalse(new DoneCheck(false, 1, 1, "").isDone(store, "out/A01"));
	}
}
