package org.parascope.aws.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.parascope.ParascopeException;
import org.parascope.aws.AwsClients;
import org.parascope.aws.MotoServer;
import org.parascope.config.Config;
import org.parascope.store.ObjectStore;
import org.parascope.store.ObjectStoreContract;
import org.parascope.store.StoredObject;
import org.parascope.store.TransferListener;
import org.parascope.store.Upload;

/** The S3 adapter against the moto emulator, through the real SDK and the CRT transfer manager. */
@ExtendWith(MotoServer.class)
class S3ObjectStoreTest extends ObjectStoreContract {

	/** One set of clients for the class: the CRT client takes a while to start; moto's reset keeps them valid. */
	private static AwsClients aws;

	private static AwsClients aws() {
		if (aws == null) aws = new AwsClients(Config.defaults(), null, MotoServer.env());
		return aws;
	}

	@AfterAll
	static void closeClients() {
		if (aws != null) aws.close();
		aws = null;
	}

	@Override
	protected ObjectStore newStore() {
		aws().s3().createBucket(b -> b.bucket("data"));
		return S3ObjectStore.of(aws(), "data");
	}

	@Test
	void aLargeFileGoesUpAndDownInPartsByteForByte() throws Exception {
		ObjectStore s = newStore();
		byte[] bytes = new byte[20 * 1024 * 1024 + 7];
		new Random(42).nextBytes(bytes);
		s.put("big/stack.tif", Files.write(tmp.resolve("stack.tif"), bytes));
		// A multipart upload's ETag ends in -<number of parts>.
		String etag = aws().s3().headObject(b -> b.bucket("data").key("big/stack.tif")).eTag();
		assertTrue(etag.matches("\"[0-9a-f]+-[0-9]+\""), etag);
		s.get("big/stack.tif", tmp.resolve("back.tif"));
		assertArrayEquals(bytes, Files.readAllBytes(tmp.resolve("back.tif")));
	}

	/** More files than move at once, so some wait for a free slot. */
	@Test
	void manyMoreFilesThanMoveAtOnceAllArriveAndNoPartialFileIsLeft() throws Exception {
		ObjectStore s = newStore();
		Map<String, Path> up = new LinkedHashMap<>();
		for (int i = 0; i < 60; i++) up.put("out/A01/f" + i + ".csv", Files.writeString(tmp.resolve("f" + i), "row " + i + "\n"));
		up.put("out/A01/empty.txt", Files.createFile(tmp.resolve("empty")));
		Map<String, Long> reported = new ConcurrentHashMap<>();
		s.putAll(up, reported::put);
		assertEquals(61, reported.size());
		assertEquals(61, s.list("out/A01/").count());

		Map<String, Path> down = new LinkedHashMap<>();
		up.keySet().forEach(key -> down.put(key, tmp.resolve("back").resolve(key)));
		reported.clear();
		s.getAll(down, reported::put);
		assertEquals(61, reported.size());
		for (int i = 0; i < 60; i++) assertEquals("row " + i + "\n", Files.readString(tmp.resolve("back/out/A01/f" + i + ".csv")));
		assertEquals(0, Files.size(tmp.resolve("back/out/A01/empty.txt")));
		try (var left = Files.list(tmp.resolve("back/out/A01"))) {
			assertEquals(61, left.count(), "no partial files are left behind");
		}
	}

	@Test
	void aMissingObjectAmongManyIsNamedAsAnS3Url() throws Exception {
		ObjectStore s = newStore();
		s.put("in/a.tif", Files.writeString(tmp.resolve("a"), "a"));
		Map<String, Path> down = new LinkedHashMap<>();
		down.put("in/a.tif", tmp.resolve("a.tif"));
		down.put("in/missing.tif", tmp.resolve("missing.tif"));
		ParascopeException e = assertThrows(ParascopeException.class, () -> s.getAll(down, (k, b) -> {}));
		assertEquals("no object s3://data/in/missing.tif", e.getMessage());
		assertFalse(Files.exists(tmp.resolve("missing.tif")));
	}

	@Test
	void aMissingBucketIsSaidPlainly() throws Exception {
		ObjectStore s = S3ObjectStore.of(aws(), "s3://no-such-bucket");
		Path f = Files.writeString(tmp.resolve("f"), "1");
		String plain = "bucket no-such-bucket does not exist or is not yours";
		List<Executable> calls = List.of(() -> s.get("k", tmp.resolve("k")), () -> s.put("k", f), () -> s.exists("k"),
			() -> s.list("").count(), () -> s.delete("k"), () -> s.putAll(Map.of("k", f), (k, b) -> {}));
		for (Executable call : calls) {
			assertEquals(plain, assertThrows(ParascopeException.class, call).getMessage());
		}
	}

	@Test
	void aStoreBelowAPrefixSeesOnlyItsOwnKeys() throws Exception {
		newStore();
		ObjectStore run1 = S3ObjectStore.of(aws(), "s3://data/runs/1");
		ObjectStore run2 = S3ObjectStore.of(aws(), "data/runs/2/");
		Path f = Files.writeString(tmp.resolve("f"), "abc");
		run1.put("out/a.csv", f);
		run2.put("out/b.csv", f);
		assertEquals("s3://data/runs/1", run1.location());
		assertEquals(List.of(new StoredObject("out/a.csv", 3)), run1.list("").toList());
		assertTrue(aws().s3().headObject(b -> b.bucket("data").key("runs/2/out/b.csv")).contentLength() == 3);
		assertFalse(run1.exists("out/b.csv"));
		run1.get("out/a.csv", tmp.resolve("a.csv"));
		assertEquals("abc", Files.readString(tmp.resolve("a.csv")));
	}

	@Test
	void anObjectStoredWithoutChecksumIsUploadedOnceMoreWithOne() throws Exception {
		ObjectStore s = newStore();
		Path image = Files.writeString(tmp.resolve("a.tif"), "pixels");
		s.put("set/a.tif", image); // as another tool would: no recorded SHA-256
		assertEquals(java.util.Optional.empty(), s.sha256("set/a.tif"));
		assertEquals(new Upload.Result(1, 0, 6), Upload.missing(s, Map.of("set/a.tif", image), TransferListener.NONE));
		assertEquals(new Upload.Result(0, 1, 0), Upload.missing(s, Map.of("set/a.tif", image), TransferListener.NONE));
	}
}
