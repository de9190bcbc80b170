package org.parascope.store;

import java.nio.file.Path;
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

	/** Where this store is, for people: {@code s3://bucket} or a folder. */
	String location();
}
