package org.parascope.cellprofiler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.ParascopeException;
import org.parascope.store.LocalObjectStore;
import org.parascope.worker.TaskLog;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

/** DOWNLOAD_FILES: only the task's rows' files are fetched, and the data file then names the local copies. */
class ImageDownloadTest {

	private static final String HEADER = "FileName_DNA,PathName_DNA,ObjectsFileName_Cells,ObjectsPathName_Cells,"
		+ "Metadata_Plate,Metadata_Well,Metadata_Note\n";

	@TempDir
	Path bucket;
	@TempDir
	Path task;
	private final TaskLog log = new TaskLog();
	private ImageDownload download;

	@BeforeEach
	void images() throws IOException {
		for (String key : List.of("plate 1/images/a.png", "plate 1/images/b.png", "plate 1/images/c.png",
			"plate 1/labels/a_cells.png")) {
			Files.createDirectories(bucket.resolve(key).getParent());
			Files.writeString(bucket.resolve(key), key);
		}
		download = new ImageDownload(new LocalObjectStore(bucket), task.resolve("input"), log);
	}

	@Test
	void aLoadDataCsvHasTheFilesOfTheTasksRowsFetchedAndNamesTheLocalCopiesKeepingEveryRow() throws IOException {
		String a = "a.png,/home/ubuntu/bucket/plate 1/images,a_cells.png,/home/ubuntu/bucket/plate 1/labels,Plate 1,A01,\"stained, twice\"\n";
		String b = "b.png,/home/ubuntu/bucket/plate 1/images,,,Plate 1,A02,plain\n";
		String c = "c.png,/home/ubuntu/bucket/plate 1/images/,,,Plate 1,A01,\"say \"\"hi\"\"\"\n";
		Path csv = write("load.csv", HEADER + a + "\n" + b + c);

		download.loadData(csv, "projects/load.csv", Set.of(0, 2));

		String local = task.resolve("input").toAbsolutePath().toString();
		List<String[]> rows = read(csv);
		assertEquals(5, rows.size(), "the header, every row and the blank line (LoadData's row range counts it)");
		assertArrayEquals(HEADER.strip().split(","), rows.get(0));
		assertArrayEquals(new String[] { "a.png", local + "/plate 1/images", "a_cells.png", local + "/plate 1/labels",
			"Plate 1", "A01", "stained, twice" }, rows.get(1));
		assertEquals(1, rows.get(2).length, "the blank line");
		assertArrayEquals(new String[] { "b.png", "/home/ubuntu/bucket/plate 1/images", "", "", "Plate 1", "A02", "plain" },
			rows.get(3), "another task's row stays as it was");
		assertArrayEquals(new String[] { "c.png", local + "/plate 1/images/", "", "", "Plate 1", "A01", "say \"hi\"" },
			rows.get(4));
		for (String key : List.of("plate 1/images/a.png", "plate 1/images/c.png", "plate 1/labels/a_cells.png")) {
			assertEquals(key, Files.readString(Path.of(local, key)));
		}
		assertFalse(Files.exists(Path.of(local, "plate 1/images/b.png")), "another task's image is not fetched");
		assertTrue(log.lines().contains("DOWNLOAD_FILES: 2 of 3 rows of projects/load.csv, 3 file(s)"), log.lines().toString());
	}

	@Test
	void aFileListHasItsFilesBelowTheMountFetched() throws IOException {
		Path list = write("files.txt", "/home/ubuntu/bucket/plate 1/images/a.png\n"
			+ "file:///home/ubuntu/bucket/plate%201/images/b.png\nhttps://example.org/elsewhere.png\n");

		download.fileList(list, "files.txt");

		Path local = task.resolve("input").toAbsolutePath();
		assertEquals(List.of(local.resolve("plate 1/images/a.png").toString(),
			local.resolve("plate 1/images/b.png").toUri().toString(), "https://example.org/elsewhere.png"),
			Files.readAllLines(list));
		assertEquals("plate 1/images/b.png", Files.readString(local.resolve("plate 1/images/b.png")));
	}

	@Test
	void badDataFilesFailNamingTheFileAndWhatIsWrong() throws IOException {
		Path elsewhere = write("elsewhere.csv", HEADER + "a.png,/data/plate 1/images,,,Plate 1,A01,x\n");
		assertMessage("elsewhere.csv line 2: PathName_DNA: '/data/plate 1/images/a.png' is not below /home/ubuntu/bucket",
			() -> download.loadData(elsewhere, "elsewhere.csv", Set.of(0)));

		Path escaping = write("escaping.csv", HEADER + "../../../etc/passwd,/home/ubuntu/bucket/x,,,Plate 1,A01,x\n");
		assertMessage("escaping.csv line 2: 'x/../../../etc/passwd' is no file key",
			() -> download.loadData(escaping, "escaping.csv", Set.of(0)));

		Path noFolder = write("nofolder.csv", "FileName_DNA,Metadata_Well\na.png,A01\n");
		assertMessage("nofolder.csv: column FileName_DNA has no PathName_DNA",
			() -> download.loadData(noFolder, "nofolder.csv", Set.of(0)));

		Path empty = write("empty.csv", "");
		assertMessage("empty.csv is empty", () -> download.loadData(empty, "empty.csv", Set.of(0)));
	}

	private static void assertMessage(String start, org.junit.jupiter.api.function.Executable call) {
		ParascopeException e = assertThrows(ParascopeException.class, call);
		assertTrue(e.getMessage().startsWith(start), e.getMessage());
	}

	private Path write(String name, String text) throws IOException {
		return Files.writeString(task.resolve(name), text);
	}

	private static List<String[]> read(Path csv) throws IOException {
		try (MappingIterator<String[]> it = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY)
			.readerFor(String[].class).readValues(csv.toFile())) {
			return it.readAll();
		}
	}
}
