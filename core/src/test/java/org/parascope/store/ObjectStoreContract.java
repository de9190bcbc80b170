package org.parascope.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.parascope.ParascopeException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every ObjectStore must do; subclasses give a fresh, empty store. */
public abstract class ObjectStoreContract {

	@TempDir
	protected Path tmp;

	protected abstract ObjectStore newStore();

	protected Path file(String name, String content) throws Exception {
		return Files.writeString(tmp.resolve(name), content);
	}

	@Test
	void whatIsPutComesBackByteForByte() throws Exception {
		ObjectStore s = newStore();
		s.put("plate1/A01/cells.csv", file("a", "x,y\n1,2\n"));
		assertTrue(s.exists("plate1/A01/cells.csv"));
		Path back = tmp.resolve("deep/down/back.csv");
		s.get("plate1/A01/cells.csv", back);
		assertEquals("x,y\n1,2\n", Files.readString(back));
	}

	@Test
	void putReplaces() throws Exception {
		ObjectStore s = newStore();
		s.put("k.txt", file("a", "one"));
		s.put("k.txt", file("b", "two"));
		s.get("k.txt", tmp.resolve("c"));
		assertEquals("two", Files.readString(tmp.resolve("c")));
	}

	@Test
	void aMissingObjectIsNamedInTheError() {
		ObjectStore s = newStore();
		assertFalse(s.exists("nope/x.png"));
		ParascopeException e = assertThrows(ParascopeException.class, () -> s.get("nope/x.png", tmp.resolve("x")));
		assertTrue(e.getMessage().contains("nope/x.png"), e.getMessage());
	}

	@Test
	void listFindsEveryObjectUnderAPrefixWithItsSize() throws Exception {
		ObjectStore s = newStore();
		Path f = file("f", "12345");
		s.put("out/A01/a.csv", f);
		s.put("out/A01/b.csv", f);
		s.put("out/A010/c.csv", f);
		s.put("other/d.csv", f);
		assertEquals(List.of(new StoredObject("out/A01/a.csv", 5), new StoredObject("out/A01/b.csv", 5)),
			s.list("out/A01/").sorted((x, y) -> x.key().compareTo(y.key())).toList());
		assertEquals(3, s.list("out/A01").count(), "a prefix is a prefix, not a folder");
		assertEquals(0, s.list("missing/").count());
	}

	/** More than one page of a paginated listing (S3 pages at 1,000). */
	@Test
	void listReturnsMoreThanOnePage() throws Exception {
		ObjectStore s = newStore();
		Path f = file("f", "1");
		for (int i = 0; i < 1100; i++) s.put(String.format("many/%04d.txt", i), f);
		assertEquals(1100, s.list("many/").count());
	}

	@Test
	void putAllAndGetAllMoveEveryFileAndReportEach() throws Exception {
		ObjectStore s = newStore();
		Map<String, Path> up = new LinkedHashMap<>();
		for (int i = 0; i < 5; i++) up.put("out/f" + i + ".txt", file("f" + i, "file " + i));
		up.put("out/empty.txt", file("empty", ""));
		Map<String, Long> reported = new ConcurrentHashMap<>();
		s.putAll(up, reported::put);
		assertEquals(Map.of("out/f0.txt", 6L, "out/f1.txt", 6L, "out/f2.txt", 6L, "out/f3.txt", 6L, "out/f4.txt", 6L,
			"out/empty.txt", 0L), reported);
		Map<String, Path> down = new LinkedHashMap<>();
		up.keySet().forEach(key -> down.put(key, tmp.resolve("back").resolve(key)));
		reported.clear();
		s.getAll(down, reported::put);
		assertEquals(6, reported.size());
		assertEquals("file 3", Files.readString(tmp.resolve("back/out/f3.txt")));
		assertEquals("", Files.readString(tmp.resolve("back/out/empty.txt")));
	}

	@Test
	void deleteRemovesAndToleratesAbsence() throws Exception {
		ObjectStore s = newStore();
		s.put("a/b.txt", file("f", "1"));
		s.delete("a/b.txt");
		assertFalse(s.exists("a/b.txt"));
		s.delete("a/b.txt");
	}

	@Test
	void uploadStoresOnlyWhatIsMissingOrDifferent() throws Exception {
		ObjectStore s = newStore();
		Map<String, Path> files = new LinkedHashMap<>();
		for (int i = 1; i <= 3; i++) files.put("data/plate/img" + i + ".tif", file("img" + i, "pixels " + i));
		assertEquals(new Upload.Result(3, 0, 24), Upload.missing(s, files, TransferListener.NONE));
		assertEquals(new Upload.Result(0, 3, 0), Upload.missing(s, files, TransferListener.NONE), "sent again: all there");
		assertEquals(Sha256.of(files.get("data/plate/img2.tif")), s.sha256("data/plate/img2.tif").orElseThrow());

		// Same size, other content: only that file goes again.
		file("img2", "pixels X");
		Map<String, Long> heard = new ConcurrentHashMap<>();
		assertEquals(new Upload.Result(1, 2, 8), Upload.missing(s, files, heard::put));
		assertEquals(Map.of("data/plate/img2.tif", 8L), heard);
		s.get("data/plate/img2.tif", tmp.resolve("back"));
		assertEquals("pixels X", Files.readString(tmp.resolve("back")));
	}
}
