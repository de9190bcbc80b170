package org.parascope.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** Objects by key, as in one S3 bucket; keys use '/' as the folder separator. */
public interface ObjectStore {

	/** Stores a file under {@code key}, replacing what was there. */
	void put(String key, Path file);

	/** Copies the object to {@code file}, creating its folders; fails naming the key if it is absent. */
	void get(String key, Path file);

	boolean exists(String key);

	/** Every object whose key starts with {@code prefix}, lazily (a store may page through them). */
	Stream<StoredObject> list(String prefix);

	/** Removes the object; absent objects are fine. */
	void delete(String key);

	/**
	 * Fails, saying why, when the store cannot be read (an S3 bucket that does not exist or is not
	 * yours, a folder that is not there). Changes nothing.
	 */
	default void checkReachable() {
		try (Stream<StoredObject> any = list("")) {
			any.findFirst();
		}
	}

	/** Where this store is, for people: {@code s3://bucket} or a folder. */
	String location();

	/**
	 * Stores many files (object key -> file), as {@link #put} each; a store may move several at once.
	 * Fails after the transfers under way have ended if any failed.
	 */
	default void putAll(Map<String, Path> files, TransferListener listener) {
		files.forEach((key, file) -> {
			put(key, file);
			listener.transferred(key, size(file));
		});
	}

	/** Fetches many objects (object key -> file), as {@link #get} each; a store may move several at once. */
	default void getAll(Map<String, Path> objects, TransferListener listener) {
		objects.forEach((key, file) -> {
			get(key, file);
			listener.transferred(key, size(file));
		});
	}

	/**
	 * The SHA-256 (hex) of the object's content when the store knows it without fetching the object
	 * (for S3: recorded by {@link #putAllRecordingSha256}); empty when absent or unknown.
	 */
	default Optional<String> sha256(String key) {
		return Optional.empty();
	}

	/**
	 * As {@link #putAll}, and records each file's SHA-256 (hex, from {@code sha256} by key) with its object,
	 * so that {@link #sha256} can tell later whether a local file is already stored.
	 */
	default void putAllRecordingSha256(Map<String, Path> files, Map<String, String> sha256, TransferListener listener) {
		putAll(files, listener);
	}

	private static long size(Path file) {
		try {
			return Files.size(file);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
