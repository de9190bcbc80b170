package org.parascope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scratch folders left by a run that was killed (kill -9 skips its cleanup) go at the next start. */
class LocalScratchTest {

	@TempDir
	Path tmp;

	@Test
	void theNextRunRemovesTheFoldersOfDeadRunsOnly() throws Exception {
		// A real process that has ended stands for the killed run.
		Process dead = new ProcessBuilder("true").start();
		dead.waitFor();
		Path left = Files.createDirectories(tmp.resolve("parascope-123/worker-1/input"));
		Files.writeString(tmp.resolve("parascope-123/" + LocalScratch.OWNER), Long.toString(dead.pid()));
		Files.writeString(left.resolve("image.png"), "pixels");
		Path running = Files.createDirectories(tmp.resolve("parascope-456"));
		Files.writeString(running.resolve(LocalScratch.OWNER), Long.toString(ProcessHandle.current().pid()));
		Path notOurs = Files.createDirectories(tmp.resolve("parascope-notes"));

		Path mine = LocalScratch.create(tmp);

		assertFalse(Files.exists(tmp.resolve("parascope-123")), "the dead run's scratch is gone");
		assertTrue(Files.isDirectory(running), "a live run's scratch stays");
		assertTrue(Files.isDirectory(notOurs), "a folder without an owner file is not Parascope's to delete");
		assertEquals(Long.toString(ProcessHandle.current().pid()), Files.readString(mine.resolve(LocalScratch.OWNER)));
		assertEquals(List.of(), LocalScratch.cleanStale(tmp));
	}
}
