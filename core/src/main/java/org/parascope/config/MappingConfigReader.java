package org.parascope.config;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Reads a parascope.yml or parascope.json: one mapping of KEY to value. It reads the token stream
 * rather than a tree so that every key keeps its line for error messages.
 */
final class MappingConfigReader {

	enum Format {
		YAML(new YAMLFactory()), JSON(new JsonFactory());

		private final JsonFactory factory;

		Format(JsonFactory factory) {
			this.factory = factory;
		}
	}

	private MappingConfigReader() {}

	/** The entries of {@code text}; {@code where} names the file in error messages. */
	static List<ConfigEntry> read(String text, Format format, String where) {
		try (JsonParser parser = format.factory.createParser(text)) {
			List<ConfigEntry> entries = new ArrayList<>();
			JsonToken first = parser.nextToken();
			if (first == null) return entries; // an empty file sets nothing
			if (first != JsonToken.START_OBJECT) {
				throw ConfigException.at(where, line(parser.currentTokenLocation()),
					"expected KEY: value pairs at the top level");
			}
			while (parser.nextToken() == JsonToken.FIELD_NAME) {
				String name = parser.currentName();
				int line = line(parser.currentTokenLocation());
				parser.nextToken();
				entries.add(new ConfigEntry(name, value(parser), line));
			}
			return entries;
		} catch (JsonProcessingException e) {
			// SnakeYAML's message interleaves its problem statements with indented excerpts of the
			// file and their positions; the line number already points there, so keep the statements.
			String message = e.getOriginalMessage().lines()
				.filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
				.collect(Collectors.joining("; "));
			throw ConfigException.at(where, line(e.getLocation()), "malformed " + format + ": " + message);
		} catch (IOException e) {
			throw new ConfigException("cannot read " + where + ": " + e.getMessage(), e);
		}
	}

	/** The current value as the raw types {@link Values} takes; mappings are kept only to be rejected there. */
	private static Object value(JsonParser parser) throws IOException {
		return switch (parser.currentToken()) {
			case VALUE_STRING -> parser.getText();
			case VALUE_NUMBER_INT -> parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
				? (Object) parser.getDoubleValue() : (Object) parser.getLongValue();
			case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
			case VALUE_TRUE -> true;
			case VALUE_FALSE -> false;
			case VALUE_NULL -> null;
			case START_ARRAY -> {
				List<Object> items = new ArrayList<>();
				while (parser.nextToken() != JsonToken.END_ARRAY) items.add(value(parser));
				yield Collections.unmodifiableList(items);
			}
			case START_OBJECT -> {
				Map<String, Object> fields = new LinkedHashMap<>();
				while (parser.nextToken() == JsonToken.FIELD_NAME) {
					String name = parser.currentName();
					parser.nextToken();
					fields.put(name, value(parser));
				}
				yield fields;
			}
			default -> throw new IllegalStateException("unexpected " + parser.currentToken());
		};
	}

	private static int line(JsonLocation location) {
		return location == null ? 0 : location.getLineNr();
	}
}
