package org.parascope.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.parascope.config.MappingConfigReader.Format;

/** Builds a {@link Config} from a file and the environment: reading, type checks and warnings. */
final class ConfigLoader {

	/** The files {@link #discover} looks for, first found wins. */
	static final List<String> DISCOVERED = List.of("parascope.yml", "parascope.yaml", "parascope.json", "config.py");

	private ConfigLoader() {}

	static Config load(Path file, Map<String, String> env, Consumer<String> warnings) {
		String where = file.toString();
		Map<ConfigKey, Object> given = new EnumMap<>(ConfigKey.class);
		Object legacyRequirements = null;
		for (ConfigEntry entry : read(file)) {
			if (entry.name().equals(ConfigKey.LEGACY_REQUIREMENTS)) {
				legacyRequirements = convert(ConfigKey.REQUIREMENTS, entry, where).orElse(null);
				continue;
			}
			Optional<ConfigKey> key = ConfigKey.named(entry.name());
			if (key.isEmpty()) {
				warnings.accept(where + ":" + entry.line() + ": unknown key " + entry.name() + hint(entry.name()));
				continue;
			}
			put(given, key.get(), convert(key.get(), entry, where));
		}
		// As in DCP's run.py: a real REQUIREMENTS_FILE wins over REQUIREMENTS, wherever it stands.
		if (legacyRequirements != null) given.put(ConfigKey.REQUIREMENTS, legacyRequirements);
		overrideFromEnvironment(given, env);
		return new Config(given, file);
	}

	static Config discover(Path dir, Map<String, String> env, Consumer<String> warnings) {
		List<Path> found = DISCOVERED.stream().map(dir::resolve).filter(Files::isRegularFile).toList();
		if (found.isEmpty()) {
			Map<ConfigKey, Object> given = new EnumMap<>(ConfigKey.class);
			overrideFromEnvironment(given, env);
			return new Config(given, null);
		}
		for (Path ignored : found.subList(1, found.size())) {
			warnings.accept("using " + found.get(0) + ", ignoring " + ignored);
		}
		return load(found.get(0), env, warnings);
	}

	/** Environment variables named exactly like a key replace the file's value. */
	private static void overrideFromEnvironment(Map<ConfigKey, Object> given, Map<String, String> env) {
		for (ConfigKey key : ConfigKey.values()) {
			String text = env.get(key.name());
			if (text == null) continue;
			try {
				put(given, key, Values.convert(key, text));
			} catch (Values.BadValue e) {
				throw new ConfigException("environment variable " + key + ": " + e.getMessage());
			}
		}
	}

	private static void put(Map<ConfigKey, Object> given, ConfigKey key, Optional<Object> value) {
		if (value.isPresent()) {
			given.put(key, value.get());
		} else {
			given.remove(key); // "not set": the default applies, even over an earlier value
		}
	}

	private static Optional<Object> convert(ConfigKey key, ConfigEntry entry, String where) {
		try {
			return Values.convert(key, entry.value());
		} catch (Values.BadValue e) {
			throw ConfigException.at(where, entry.line(), entry.name() + ": " + e.getMessage());
		}
	}

	private static String hint(String name) {
		List<String> known = Arrays.stream(ConfigKey.values()).map(ConfigKey::name).toList();
		return Spelling.nearest(name, known).map(k -> " (did you mean " + k + "?)").orElse("");
	}

	private static List<ConfigEntry> read(Path file) {
		String where = file.toString();
		String name = file.getFileName().toString().toLowerCase();
		Format format = name.endsWith(".json") ? Format.JSON
			: name.endsWith(".yml") || name.endsWith(".yaml") ? Format.YAML
			: null;
		if (format == null && !name.endsWith(".py")) {
			throw new ConfigException(where + ": unknown config format (expected .yml, .yaml, .json or .py)");
		}
		String text;
		try {
			text = Files.readString(file, StandardCharsets.UTF_8);
		} catch (NoSuchFileException e) {
			throw new ConfigException("config file not found: " + where);
		} catch (IOException e) {
			throw new ConfigException("cannot read " + where + ": " + e.getMessage(), e);
		}
		return format == null ? PythonConfigReader.read(text, where) : MappingConfigReader.read(text, format, where);
	}
}
