package org.parascope.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.parascope.ParascopeException;
import org.parascope.store.ObjectStore;

/**
 * Reads a trace into tries: each end record is a try; a start record whose end never came is read as
 * {@link TraceRecord.Outcome#UNFINISHED}. Lines that are not records are counted, not fatal: a batch
 * cut short by a full disk must not hide the rest of a run.
 */
public final class TraceReader {

	private final Consumer<TraceRecord> tries;
	private final Map<String, TraceRecord> open = new HashMap<>();
	private final List<String> problems = new ArrayList<>();
	private long badLines;

	/** @param tries receives every try, in the order their ends are read, then the unfinished ones */
	public TraceReader(Consumer<TraceRecord> tries) {
		this.tries = tries;
	}

	/** Reads one batch of lines; {@code where} names it in problems. */
	public void read(BufferedReader lines, String where) throws IOException {
		int n = 0;
		for (String line = lines.readLine(); line != null; line = lines.readLine()) {
			n++;
			if (line.isBlank()) continue;
			TraceRecord r;
			try {
				r = TraceRecord.parse(line);
			}
			catch (RuntimeException e) {
				if (badLines++ < 5) problems.add(where + ":" + n + ": " + e.getMessage());
				continue;
			}
			if (TraceRecord.START.equals(r.record())) open.put(r.tryKey(), r);
			else {
				if (r.outcome() != TraceRecord.Outcome.SKIPPED) open.remove(r.tryKey());
				tries.accept(r);
			}
		}
	}

	/** The unfinished tries go out now. */
	public void finish() {
		open.values().stream().sorted(java.util.Comparator.comparing(TraceRecord::start))
			.forEach(r -> tries.accept(r.unfinished()));
		open.clear();
	}

	/** Lines that were not trace records ({@link #problems} names the first few). */
	public long badLines() {
		return badLines;
	}

	public List<String> problems() {
		return List.copyOf(problems);
	}

	/** Every try of a local trace file. */
	public static TraceReader readFile(Path file, Consumer<TraceRecord> tries) {
		TraceReader reader = new TraceReader(tries);
		try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			reader.read(in, file.toString());
		}
		catch (IOException e) {
			throw new ParascopeException(file + ": cannot read the trace: " + e.getMessage());
		}
		reader.finish();
		return reader;
	}

	/** Every try of the batches under {@code prefix} in {@code store}, fetched (several at once) into {@code scratch}. */
	public static TraceReader readStore(ObjectStore store, String prefix, Path scratch, Consumer<TraceRecord> tries) {
		TraceReader reader = new TraceReader(tries);
		List<String> keys;
		try (Stream<org.parascope.store.StoredObject> listing = store.list(prefix)) {
			keys = listing.map(o -> o.key()).filter(k -> k.endsWith(".jsonl")).sorted().toList();
		}
		Map<String, Path> files = new java.util.LinkedHashMap<>();
		for (String key : keys) files.put(key, scratch.resolve("batch-" + files.size() + ".jsonl"));
		store.getAll(files, (key, bytes) -> {});
		try {
			for (Map.Entry<String, Path> batch : files.entrySet()) {
				try (BufferedReader in = Files.newBufferedReader(batch.getValue(), StandardCharsets.UTF_8)) {
					reader.read(in, store.location() + "/" + batch.getKey());
				}
				Files.deleteIfExists(batch.getValue());
			}
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		reader.finish();
		return reader;
	}
}
