package org.parascope.cellprofiler;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.parascope.ParascopeException;
import org.parascope.store.KeyRule;
import org.parascope.store.ObjectStore;
import org.parascope.worker.TaskLog;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

/**
 * DOWNLOAD_FILES: instead of reading images through the bucket mounted at {@link #MOUNT}, a task
 * fetches the files its data file names from SOURCE_BUCKET (the object below the mount point's path,
 * all at once through the store) and rewrites the data file in place to point at the local copies.
 * Of a LoadData CSV, only the files of the task's rows are fetched: the rows CellProfiler's own
 * grouping picks ({@link GroupRows}); a .txt file list cannot be split by metadata, so every file it
 * lists below the mount point is fetched.
 * No bucket listing: the keys come from the data file.
 */
final class ImageDownload {

	/** Where the worker image mounts SOURCE_BUCKET, and where DCP users' data files point. */
	static final String MOUNT = "/home/ubuntu/bucket";

	/** LoadData's file columns: FileName_DNA with PathName_DNA, and the same for objects. */
	private static final Pattern FILE_COLUMN = Pattern.compile("(Objects)?FileName_(.+)");
	private static final CsvMapper CSV = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);

	private final ObjectStore source;
	private final Path localRoot;
	private final TaskLog log;

	/** @param localRoot the folder the fetched files go to, each at its key's path */
	ImageDownload(ObjectStore source, Path localRoot, TaskLog log) {
		this.source = source;
		this.localRoot = localRoot.toAbsolutePath().normalize();
		this.log = log;
	}

	/**
	 * Fetches the files of the given rows of {@code csv} and points those rows' PathName columns at the
	 * local copies. Every row stays in the file, in its place: LoadData types a column from all its
	 * values and numbers image sets by row, so a CSV cut down to the task's rows could group them
	 * differently and would number them differently from a run on the whole plate.
	 *
	 * @param name the data file's key, for messages
	 * @param rows the task's rows, 0-based among the non-blank data rows (from {@link GroupRows})
	 */
	void loadData(Path csv, String name, Set<Integer> rows) throws IOException {
		List<String[]> lines = readCsv(csv, name);
		String[] header = lines.get(0);
		Map<String, Integer> columns = new LinkedHashMap<>();
		for (int i = 0; i < header.length; i++) columns.putIfAbsent(header[i], i);
		List<int[]> files = fileColumns(header, columns, name);

		Map<String, Path> fetch = new LinkedHashMap<>();
		int row = -1, kept = 0;
		for (int r = 1; r < lines.size(); r++) {
			String[] values = lines.get(r);
			if (blank(values)) continue;
			row++;
			if (!rows.contains(row)) continue;
			kept++;
			String line = name + " line " + (r + 1);
			if (values.length < header.length) {
				throw new ParascopeException(line + ": " + values.length + " values for " + header.length + " columns");
			}
			for (int[] pair : files) {
				String folder = values[pair[0]], file = values[pair[1]];
				if (file.isEmpty()) continue;
				String key = keyBelowMount(folder.endsWith("/") ? folder + file : folder + "/" + file,
					line + ": " + header[pair[0]]);
				fetch.put(key, local(key, line));
				values[pair[0]] = localRoot + folder.substring(MOUNT.length());
			}
		}
		if (kept != rows.size()) throw new ParascopeException(name + ": " + rows.size() + " rows picked for this task but"
			+ " only " + kept + " found (CellProfiler and this reader split the CSV differently)");
		fetchAll(fetch);
		ObjectWriter csvRow = CSV.writerFor(String[].class);
		try (Writer out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
			// A blank line stays one: LoadData's row range counts it.
			for (String[] values : lines) out.write(blank(values) ? "\n" : csvRow.writeValueAsString(values));
		}
		log.line("DOWNLOAD_FILES: " + kept + " of " + (row + 1) + " rows of " + name + ", " + fetch.size() + " file(s)");
	}

	/**
	 * Fetches every file {@code list} names below the mount point (a path, or a file: URL) and writes the
	 * list back naming the local copies; other lines (http, s3 URLs) are left for CellProfiler.
	 */
	void fileList(Path list, String name) throws IOException {
		List<String> lines = Files.readAllLines(list, StandardCharsets.UTF_8);
		Map<String, Path> fetch = new LinkedHashMap<>();
		List<String> rewritten = new ArrayList<>(lines.size());
		for (int i = 0; i < lines.size(); i++) {
			String entry = lines.get(i).strip();
			String where = name + " line " + (i + 1);
			boolean url = entry.startsWith("file:");
			String path = url ? Path.of(URI.create(entry)).toString() : entry;
			if (!path.startsWith(MOUNT + "/")) {
				rewritten.add(lines.get(i));
				continue;
			}
			String key = keyBelowMount(path, where);
			Path local = local(key, where);
			fetch.put(key, local);
			rewritten.add(url ? local.toUri().toString() : local.toString());
		}
		fetchAll(fetch);
		Files.write(list, rewritten, StandardCharsets.UTF_8);
		log.line("DOWNLOAD_FILES: " + fetch.size() + " file(s) of " + name);
	}

	private void fetchAll(Map<String, Path> fetch) {
		source.getAll(fetch, (key, bytes) -> log.line("fetched " + key + " (" + bytes + " bytes)"));
	}

	private static List<String[]> readCsv(Path csv, String name) throws IOException {
		List<String[]> rows;
		try (MappingIterator<String[]> it = CSV.readerFor(String[].class).readValues(csv.toFile())) {
			rows = it.readAll();
		}
		catch (IOException e) {
			throw new ParascopeException(name + ": not a readable CSV file: " + e.getMessage());
		}
		if (rows.isEmpty() || blank(rows.get(0))) throw new ParascopeException(name + " is empty: a LoadData CSV starts with its header");
		return rows;
	}

	/** [PathName column, FileName column] for every FileName_X, which needs its PathName_X. */
	private static List<int[]> fileColumns(String[] header, Map<String, Integer> columns, String name) {
		List<int[]> pairs = new ArrayList<>();
		for (int i = 0; i < header.length; i++) {
			Matcher m = FILE_COLUMN.matcher(header[i]);
			if (!m.matches()) continue;
			String pathColumn = (m.group(1) == null ? "" : m.group(1)) + "PathName_" + m.group(2);
			Integer folder = columns.get(pathColumn);
			if (folder == null) throw new ParascopeException(name + ": column " + header[i] + " has no " + pathColumn
				+ ", the folder DOWNLOAD_FILES needs to fetch its files");
			pairs.add(new int[] { folder, i });
		}
		return pairs;
	}

	/** The CSV reader gives a blank line as one empty value. */
	private static boolean blank(String[] values) {
		return values.length == 0 || values.length == 1 && values[0].isEmpty();
	}

	/** The SOURCE_BUCKET key of a path below the mount point. */
	private static String keyBelowMount(String path, String where) {
		if (!path.startsWith(MOUNT + "/")) {
			throw new ParascopeException(where + ": '" + path + "' is not below " + MOUNT + ", where SOURCE_BUCKET is"
				+ " mounted; DOWNLOAD_FILES fetches files from SOURCE_BUCKET only");
		}
		return path.substring(MOUNT.length() + 1);
	}

	/** The local copy of {@code key}, which must stay inside the local folder ("../" would leave it). */
	private Path local(String key, String where) {
		if (KeyRule.problem(key) == null) return KeyRule.resolve(localRoot, key, where + ": file key");
		throw new ParascopeException(where + ": '" + KeyRule.printable(key) + "' is no file key below " + MOUNT
			+ ": it " + KeyRule.problem(key));
	}
}
