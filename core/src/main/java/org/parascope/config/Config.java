package org.parascope.config;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Every setting, immutable once loaded: the values a file or the environment gave, and the defaults
 * of {@link ConfigKey} for the rest. Derived defaults (SQS_QUEUE_NAME from APP_NAME, ...) are computed
 * when read, so they follow the values they derive from, wherever those came from.
 */
public final class Config {

	private final Map<ConfigKey, Object> given;
	private final Path source;

	Config(Map<ConfigKey, Object> given, Path source) {
		this.given = new EnumMap<>(ConfigKey.class);
		this.given.putAll(given);
		this.source = source;
	}

	/** Defaults only. */
	public static Config defaults() {
		return new Config(Map.of(), null);
	}

	/**
	 * Loads a parascope.yml / .yaml / .json or a DCP/DF config.py; {@code env} overrides it. Unknown
	 * keys go to {@code warnings}; unreadable files and wrong values throw {@link ConfigException}.
	 */
	public static Config load(Path file, Map<String, String> env, Consumer<String> warnings) {
		return ConfigLoader.load(file, env, warnings);
	}

	/**
	 * The first of parascope.yml, parascope.yaml, parascope.json, config.py in {@code dir}, else
	 * defaults; then {@code env}.
	 */
	public static Config discover(Path dir, Map<String, String> env, Consumer<String> warnings) {
		return ConfigLoader.discover(dir, env, warnings);
	}

	/**
	 * A copy with one value replaced (value as the key's type, or a string to parse). A value that
	 * means "not set" (null, or 'False' for the keys where DCP used it so) restores the default.
	 */
	public Config with(ConfigKey key, Object value) {
		Map<ConfigKey, Object> copy = new EnumMap<>(ConfigKey.class);
		copy.putAll(given);
		try {
			Values.convert(key, value).ifPresentOrElse(v -> copy.put(key, v), () -> copy.remove(key));
		} catch (Values.BadValue e) {
			throw new ConfigException(key + ": " + e.getMessage());
		}
		return new Config(copy, source);
	}

	/** The file these settings were loaded from, if any. */
	public Optional<Path> source() {
		return Optional.ofNullable(source);
	}

	/** Whether the key has a value, given or default: keys such as AWS_BUCKET have no default. */
	public boolean has(ConfigKey key) {
		return value(key) != null;
	}

	public String string(ConfigKey key) {
		return (String) require(key, ConfigKey.Type.STRING);
	}

	public int integer(ConfigKey key) {
		return (Integer) require(key, ConfigKey.Type.INTEGER);
	}

	public double decimal(ConfigKey key) {
		return (Double) require(key, ConfigKey.Type.DECIMAL);
	}

	public boolean bool(ConfigKey key) {
		return (Boolean) require(key, ConfigKey.Type.BOOLEAN);
	}

	@SuppressWarnings("unchecked")
	public List<String> list(ConfigKey key) {
		return (List<String>) require(key, ConfigKey.Type.LIST);
	}

	/**
	 * Every key that has a value, as environment variables that {@link #load} reads back to the same
	 * values: how the settings reach workers in their containers.
	 */
	public Map<String, String> asEnvironment() {
		Map<String, String> env = new LinkedHashMap<>();
		for (ConfigKey key : ConfigKey.values()) {
			Object value = value(key);
			if (value != null) env.put(key.name(), Values.toText(value));
		}
		return env;
	}

	/**
	 * The values a file or the environment gave (defaults left out), as text that {@link #load} reads
	 * back to the same values: what a settings file must keep so that derived defaults still follow.
	 */
	public Map<ConfigKey, String> given() {
		Map<ConfigKey, String> text = new EnumMap<>(ConfigKey.class);
		given.forEach((key, value) -> text.put(key, Values.toText(value)));
		return text;
	}

	/** The source and the values it gave; defaults are left out. */
	@Override
	public String toString() {
		StringBuilder text = new StringBuilder("Config[").append(source == null ? "defaults" : source);
		given.forEach((key, value) -> text.append(", ").append(key).append('=').append(Values.repr(value)));
		return text.append(']').toString();
	}

	/** The given value, else the default; null when there is neither. */
	Object value(ConfigKey key) {
		Object value = given.get(key);
		return value != null ? value : key.defaultValue(this);
	}

	private Object require(ConfigKey key, ConfigKey.Type type) {
		if (key.type() != type) {
			throw new IllegalArgumentException(key + " holds " + key.type().noun() + ", not " + type.noun());
		}
		Object value = value(key);
		if (value == null) {
			String file = source == null ? "parascope.yml" : source.toString();
			throw new ConfigException(key + " is not set: add it to " + file + " or set the environment variable " + key);
		}
		return value;
	}
}
