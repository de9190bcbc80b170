package org.parascope.store;

/** One object in a store. */
public record StoredObject(String key, long size) {

	/** The last part of the key: the file name. */
	public String name() {
		return key.substring(key.lastIndexOf('/') + 1);
	}
}
