package org.parascope.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
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

	/** Reads the file whole and reports every bad value and repeated key at once, one line each. */
	static Config load(Path file, Map<String, String> env, Consumer<String> warnings) {
		String where = file.toString();
		Map<ConfigKey, Object> given = new EnumMap<>(ConfigKey.class);
		Object legacyRequirements = null;
		List<String> problems = new ArrayList<>();
		// In YAML and JSON a repeated key is a slip (last one wins silently); in config.py it is Python.
		boolean mapping = !file.getFileName().toString().toLowerCase().endsWith(".py");
		Map<String, Integer> firstLine = new HashMap<>();
		for (ConfigEntry entry : read(file)) {
			Integer earlier = firstLine.putIfAbsent(entry.name(), entry.line());
			if (mapping && earlier != null) {
				problems.add(where + ":" + entry.line() + ": " + entry.name() + " is given twice (first on line " + earlier
					+ "); keep one");
				continue;
			}
			try {
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
			catch (ConfigException e) {
				problems.add(e.getMessage());
			}
		}
		if (!problems.isEmpty()) throw new ConfigException(String.join("\n", problems));
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

	/** The file's text; a byte that is not UTF-8 is named with its line, not as "Input length = 3". */
	private static String utf8(byte[] bytes, String where) {
		CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
			.onUnmappableCharacter(CodingErrorAction.REPORT);
		ByteBuffer in = ByteBuffer.wrap(bytes);
		CharBuffer out = CharBuffer.allocate(bytes.length);
		CoderResult result = decoder.decode(in, out, true);
		if (result.isError()) {
			int at = in.position(), line = 1;
			for (int i = 0; i < at; i++) if (bytes[i] == '\n') line++;
			throw ConfigException.at(where, line, String.format("not UTF-8 text: byte 0x%02X cannot start or continue a"
				+ " character; save the file as UTF-8", bytes[at] & 0xff));
		}
		decoder.flush(out);
		return out.flip().toString();
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
			text = utf8(Files.readAllBytes(file), where);
		} catch (NoSuchFileException e) {
			throw new ConfigException("config file not found: " + where);
		} catch (IOException e) {
			throw new ConfigException("cannot read " + where + ": " + e.getMessage(), e);
		}
		return format == null ? PythonConfigReader.read(text, where) : MappingConfigReader.read(text, format, where);
	}
}
