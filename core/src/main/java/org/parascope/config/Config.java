package org.parascope.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Every setting, immutable once loaded. STUB with the agreed API: the config work replaces the body.
 */
public final class Config {

	private final Map<ConfigKey, Object> values;

	private Config(Map<ConfigKey, Object> values) {
		this.values = Map.copyOf(values);
	}

	/** Defaults only. */
	public static Config defaults() {
		return new Config(Map.of());
	}

	/** Loads a parascope.yml / .yaml / .json or a DCP/DF config.py; {@code env} overrides it. */
	public static Config load(Path file, Map<String, String> env, Consumer<String> warnings) {
		return defaults();
	}

	/** The first of parascope.yml, parascope.json, config.py in {@code dir}, else defaults; then {@code env}. */
	public static Config discover(Path dir, Map<String, String> env, Consumer<String> warnings) {
		return defaults();
	}

	/** A copy with one value replaced (value as the key's type, or a string to parse). */
	public Config with(ConfigKey key, Object value) {
		var copy = new java.util.HashMap<>(values);
		copy.put(key, value);
		return new Config(copy);
	}

	public String string(ConfigKey key) { return (String) values.get(key); }
	public int integer(ConfigKey key) { return (Integer) values.getOrDefault(key, 0); }
	public double decimal(ConfigKey key) { return (Double) values.getOrDefault(key, 0.0); }
	public boolean bool(ConfigKey key) { return (Boolean) values.getOrDefault(key, false); }
	@SuppressWarnings("unchecked")
	public List<String> list(ConfigKey key) { return (List<String>) values.getOrDefault(key, List.of()); }
}
