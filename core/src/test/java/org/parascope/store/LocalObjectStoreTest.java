package org.parascope.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.parascope.ParascopeException;

import org.junit.jupiter.api.Test;

class LocalObjectStoreTest extends ObjectStoreContract {

	@Override
	protected ObjectStore newStore() {
		try {
			return new LocalObjectStore(Files.createTempDirectory(tmp, "store"));
		}
		catch (java.io.IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
	}

	@Test
	void keysCannotEscapeTheFolder() {
		ObjectStore s = newStore();
		assertThrows(ParascopeException.class, () -> s.exists("../outside.txt"));
	}

	/** A local run of a job made for the buckets reads its files in place: linked, not copied. */
	@Test
	void linksFilesAtTheirKeysAndLeavesAFileAlreadyThereAsItIs() throws Exception {
		Path root = Files.createTempDirectory(tmp, "store");
		LocalObjectStore s = new LocalObjectStore(root);
		Path image = file("A01.tif", "pixels");
		Path pipeline = Files.createDirectories(root.resolve("job")).resolve("pipeline.cppipe");
		Files.writeString(pipeline, "modules");
		s.linkAll(Map.of("plate/A01.tif", image, "job/pipeline.cppipe", pipeline));
		assertTrue(Files.isSymbolicLink(root.resolve("plate/A01.tif")));
		s.get("plate/A01.tif", tmp.resolve("fetched.tif"));
		assertEquals("pixels", Files.readString(tmp.resolve("fetched.tif")));
		assertFalse(Files.isSymbolicLink(pipeline));
		assertEquals("modules", Files.readString(pipeline));
	}

	@Test
	void aKeyLeavingTheFolderIsRefusedBeforeAnythingIsLinked() throws Exception {
		Path root = Files.createDirectories(tmp.resolve("store/root"));
		Map<String, Path> files = new LinkedHashMap<>();
		files.put("plate/A01.tif", file("A01.tif", "pixels"));
		files.put("../A02.tif", file("A02.tif", "pixels"));
		files.put("/etc/A03.tif", file("A03.tif", "pixels"));
		ParascopeException e = assertThrows(ParascopeException.class, () -> new LocalObjectStore(root).linkAll(files));
		assertTrue(e.getMessage().contains("'../A02.tif' has a '..' segment") && e.getMessage().contains("'/etc/A03.tif' is an absolute path"),
			e.getMessage());
		assertTrue(Files.notExists(root.resolve("plate")));
		assertTrue(Files.notExists(tmp.resolve("store/A02.tif")));
	}
}
