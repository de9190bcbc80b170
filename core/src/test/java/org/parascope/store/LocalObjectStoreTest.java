package org.parascope.store;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;

import org.junit.jupiter.api.Test;
import org.parascope.ParascopeException;

class LocalObjectStoreTest extends ObjectStoreContract {

	@Override
	protected ObjectStore newStore() {
		try {
			return new LocalObjectStore(Files.createTempDirectory(tmp, "store"));
		}
		catch (java.io.IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
	}

	@Test
	void keysCannotEscapeTheFolder() {
		ObjectStore s = newStore();
		assertThrows(ParascopeException.class, () -> s.exists("../outside.txt"));
	}
}
