package org.parascope.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.ParascopeException;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;
import org.parascope.job.Engine;
import org.parascope.job.Task;
import org.parascope.store.LocalObjectStore;

/** Distributed-Fiji's SCRIPT_DOWNLOAD_URL, as the worker fetches the script of tasks that name none. */
class ScriptDownloadTest {

	@TempDir
	Path dir;

	private static final Task DF_TASK = new Task("0", Engine.FIJI, null, Map.of("well", "A01"), Map.of(), List.of(),
		null, null, "out");

	private ScriptDownload download(String url, List<String> asked) {
		Config config = Config.defaults().with(ConfigKey.SCRIPT_DOWNLOAD_URL, url);
		return ScriptDownload.of(config, location -> {
			asked.add(location);
			return new LocalObjectStore(dir.resolve("buckets").resolve(location.substring("s3://".length())));
		}, dir.resolve("cache"));
	}

	@Test
	void anS3ScriptIsFetchedOnceForEveryTask() throws Exception {
		Path bucket = Files.createDirectories(dir.resolve("buckets/scripts-bucket/fiji"));
		Files.writeString(bucket.resolve("stitch.py"), "print(1)\n");
		List<String> asked = new ArrayList<>();
		Stores stores = new Stores(null, null, null, download("s3://scripts-bucket/fiji/stitch.py", asked));
		Path first = stores.script(DF_TASK, dir.resolve("task1"));
		Path second = stores.script(DF_TASK, dir.resolve("task2"));
		assertEquals("stitch.py", first.getFileName().toString());
		assertEquals("print(1)\n", Files.readString(second));
		assertEquals(List.of("s3://scripts-bucket"), asked);
	}

	@Test
	void aFileUrlIsReadWhereItIs() throws Exception {
		Path script = Files.writeString(dir.resolve("run me.py"), "x = 1\n");
		Stores stores = new Stores(null, null, null, download(script.toUri().toString(), new ArrayList<>()));
		assertEquals(script, stores.script(DF_TASK, dir.resolve("task")));
	}

	@Test
	void whatCannotBeFetchedIsNamedAndTriedAgainByTheNextTask() throws Exception {
		ScriptDownload missing = download("s3://scripts-bucket/fiji/absent.py", new ArrayList<>());
		ParascopeException e = assertThrows(ParascopeException.class, missing::script);
		assertTrue(e.getMessage().startsWith("SCRIPT_DOWNLOAD_URL s3://scripts-bucket/fiji/absent.py: cannot fetch the script: "),
			e.getMessage());
		Files.createDirectories(dir.resolve("buckets/scripts-bucket/fiji"));
		Files.writeString(dir.resolve("buckets/scripts-bucket/fiji/absent.py"), "y = 2\n");
		assertEquals("y = 2\n", Files.readString(missing.script()));

		ScriptDownload unreachable = download("https://127.0.0.1:1/stitch.py", new ArrayList<>());
		e = assertThrows(ParascopeException.class, unreachable::script);
		// As filed, this said "null": the URL and the reason are named.
		assertTrue(e.getMessage().startsWith("SCRIPT_DOWNLOAD_URL https://127.0.0.1:1/stitch.py: cannot fetch the script:"
			+ " cannot connect"), e.getMessage());
		assertFalse(e.getMessage().contains("null"), e.getMessage());
	}

	@Test
	void urlsThatCannotWorkAreRefusedBeforeAnyTaskRuns() {
		assertEquals("SCRIPT_DOWNLOAD_URL http://example.org/a.py: expected an https://, s3:// or file:// URL",
			assertThrows(ParascopeException.class, () -> download("http://example.org/a.py", List.of())).getMessage());
		assertEquals("SCRIPT_DOWNLOAD_URL s3://bucket-only: expected s3://bucket/key",
			assertThrows(ParascopeException.class, () -> download("s3://bucket-only", List.of())).getMessage());
		assertTrue(assertThrows(ParascopeException.class, () -> download("https://example.org/", List.of()))
			.getMessage().contains("names no file"));
	}

	@Test
	void withoutAUrlATaskWithoutAScriptIsRefusedClearly() {
		assertNull(ScriptDownload.of(Config.defaults(), l -> null, dir));
		ParascopeException e = assertThrows(ParascopeException.class,
			() -> new Stores(null, null, null).script(DF_TASK, dir));
		assertEquals("the task names no script, and SCRIPT_DOWNLOAD_URL is not set", e.getMessage());
	}
}
