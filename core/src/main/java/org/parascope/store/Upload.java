package org.parascope.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Stores only the files a store lacks: an object with the file's size and SHA-256 is left alone, so a
 * dataset sent again costs one listing and a few checks instead of its bytes. Objects stored without
 * a recorded checksum (by another tool) are stored again once, with one.
 */
public final class Upload {

	/** @param stored objects written; {@code unchanged} files already there; {@code bytes} written */
	public record Result(int stored, int unchanged, long bytes) {}

	private Upload() {}

	/** {@code files}: object key to local file. {@code listener} hears of each file stored. */
	public static Result missing(ObjectStore store, Map<String, Path> files, TransferListener listener) {
		if (files.isEmpty()) return new Result(0, 0, 0);
		// One listing of the keys' common folder gives every size; checksums are asked for only when a size matches.
		Map<String, Long> sizes = store.list(commonFolder(files.keySet().iterator().next(), files))
			.collect(Collectors.toMap(StoredObject::key, StoredObject::size, (a, b) -> a));
		Map<String, Path> toStore = new LinkedHashMap<>();
		Map<String, String> sha256 = new LinkedHashMap<>();
		long bytes = 0;
		for (Map.Entry<String, Path> f : files.entrySet()) {
			String key = f.getKey();
			long size = size(f.getValue());
			String local = Sha256.of(f.getValue());
			Long stored = sizes.get(key);
			if (stored != null && stored == size && store.sha256(key).filter(local::equals).isPresent()) continue;
			toStore.put(key, f.getValue());
			sha256.put(key, local);
			bytes += size;
		}
		store.putAllRecordingSha256(toStore, sha256, listener);
		return new Result(toStore.size(), files.size() - toStore.size(), bytes);
	}

	/** The longest folder ("a/b/") every key lies in; "" for the whole store. */
	private static String commonFolder(String first, Map<String, Path> files) {
		String prefix = first.substring(0, first.lastIndexOf('/') + 1);
		for (String key : files.keySet()) {
			while (!key.startsWith(prefix)) prefix = prefix.substring(0, prefix.lastIndexOf('/', prefix.length() - 2) + 1);
		}
		return prefix;
	}

	private static long size(Path file) {
		try {
			return Files.size(file);
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot read " + file, e);
		}
	}
}
