package org.parascope.plugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;

import org.parascope.config.Config;
import org.parascope.config.ConfigKey;

/**
 * The settings Configure saves: parascope.yml in the Fiji face's folder, with only the values someone
 * gave (so that defaults derived from APP_NAME keep following it). The command line reads the same file.
 */
public final class Settings {

	static final String FILE = "parascope.yml";

	private final Path file;

	Settings(Path file) {
		this.file = file;
	}

	public Path file() {
		return file;
	}

	/** The saved values; none when nothing was saved yet. */
	public Map<ConfigKey, String> values(Consumer<String> warnings) {
		return Files.isRegularFile(file) ? read(file, warnings) : new EnumMap<>(ConfigKey.class);
	}

	/** The values a config.py, parascope.yml or parascope.json gives (its defaults left out). */
	public static Map<ConfigKey, String> read(Path configFile, Consumer<String> warnings) {
		return new EnumMap<>(Config.load(configFile, Map.of(), warnings).given());
	}

	/**
	 * Checks every value as the config loader will, then writes them all; a bad value throws naming its
	 * key and leaves the file as it was.
	 */
	public void save(Map<ConfigKey, String> values) {
		Config checked = Config.defaults();
		for (Map.Entry<ConfigKey, String> e : values.entrySet()) checked = checked.with(e.getKey(), e.getValue());
		StringBuilder yaml = new StringBuilder("# Written by Fiji's Plugins > Parascope > Configure...; docs/config.md"
			+ " explains every key.\n");
		checked.given().forEach((key, text) -> yaml.append(key).append(": '").append(text.replace("'", "''")).append("'\n"));
		try {
			Files.createDirectories(file.getParent());
			Path partial = Files.createTempFile(file.getParent(), ".parascope-", ".yml");
			Files.writeString(partial, yaml);
			Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
				java.nio.file.StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot write " + file, e);
		}
	}
}
