package org.parascope.config;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** docs/config.md states every key exactly as {@link ConfigKey} defines it. */
class ConfigDocsTest {

	// Tests run in the module directory, core/.
	private static final Path DOCS = Path.of("..", "docs", "config.md");

	@Test
	void everyKeyHasItsRowInTheDocs() throws IOException {
		List<String> lines = Files.readAllLines(DOCS);

		assertAll(Arrays.stream(ConfigKey.values()).map(key -> () -> {
			String row = row(key);
			assertTrue(lines.contains(row), DOCS + " lacks or misstates " + key + "; expected the row\n" + row);
		}));
	}

	private static String row(ConfigKey key) {
		String type = key.type() == ConfigKey.Type.LIST ? "list of strings" : key.type().name().toLowerCase();
		String defaultText = key.defaultText().map(text -> "`" + text + "`").orElse("none");
		return "| `" + key + "` | " + type + " | " + defaultText + " | " + key.description() + " |";
	}
}
