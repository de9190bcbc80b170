package org.parascope.store;

/** Hears of each object a many-file transfer has finished, e.g. to log it or count bytes. */
@FunctionalInterface
public interface TransferListener {

	/** One object was stored or fetched whole; called from any thread, once per object. */
	void transferred(String key, long bytes);

	TransferListener NONE = (key, bytes) -> {};
}
