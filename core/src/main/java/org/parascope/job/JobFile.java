package org.parascope.job;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * One streaming pass over a job file: its top-level keys one by one, small values as trees, and a
 * group list one group at a time, so that memory does not grow with the number of groups.
 */
final class JobFile implements Closeable {

	/**
	 * How job files and message bodies are parsed: a key given twice is an error (Python would keep the
	 * last silently), and decimals stay exact so that metadata 2.50 stays "2.50".
	 */
	static final JsonMapper JSON = JsonMapper.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
		.build();

	/** Stands in, among the top-level values, for a group list that is streamed and never held. */
	static final JsonNode STREAMED = MissingNode.getInstance();

	private final JsonParser parser;

	private JobFile(JsonParser parser) {
		this.parser = parser;
	}

	/** Opens {@code file}, whose top level must be an object. */
	static JobFile open(Path file, Problems problems) throws IOException {
		JobFile in = new JobFile(JSON.createParser(Files.newInputStream(file)));
		try {
			JsonToken first = in.parser.nextToken();
			if (first != JsonToken.START_OBJECT) throw problems.fail("", "expected a JSON object {...} at the top level,"
				+ " got " + (first == null ? "an empty file" : in.parser.getText()));
			return in;
		} catch (IOException | RuntimeException e) {
			in.close();
			throw e;
		}
	}

	/** The next top-level key, or null at the end of the object (after checking that nothing follows it). */
	String nextKey() throws IOException {
		if (parser.nextToken() == JsonToken.FIELD_NAME) return parser.currentName();
		if (parser.nextToken() != null) throw new JsonParseException(parser, "unexpected content after the job's object");
		return null;
	}

	/** Whether the value of the current key is a list. */
	boolean atList() throws IOException {
		return parser.nextToken() == JsonToken.START_ARRAY;
	}

	/** The value of the current key (after {@link #atList()}). */
	JsonNode value() throws IOException {
		return JSON.readTree(parser);
	}

	void skipValue() throws IOException {
		parser.skipChildren();
	}

	/** The next element of the list being read, or null after its end. */
	JsonNode nextElement() throws IOException {
		return parser.nextToken() == JsonToken.END_ARRAY ? null : JSON.readTree(parser);
	}

	/** Moves to the top-level list under {@code key}; false if there is none. */
	boolean seek(String key) throws IOException {
		for (String name = nextKey(); name != null; name = nextKey()) {
			if (atList() && name.equals(key)) return true;
			skipValue();
		}
		return false;
	}

	/** A JSON syntax error as the user reads it: where, then what. */
	static String malformed(JsonProcessingException e) {
		var at = e.getLocation();
		// Jackson names its (here redacted) source in nested locations: keep line and column only.
		String what = e.getOriginalMessage().replaceAll("\\[Source: [^;\\]]*; ", "[");
		return (at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ")
			+ "malformed JSON: " + what;
	}

	@Override
	public void close() throws IOException {
		parser.close();
	}
}
