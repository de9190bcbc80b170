package org.parascope.aws.store;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.parascope.config.ConfigException;
import org.parascope.config.ConfigKey;

import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.RequestPayer;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * UPLOAD_FLAGS: Distributed-CellProfiler appended them to its {@code aws s3 mv} command line. Here
 * each option that means something for one uploaded file becomes a field of the upload's PutObject
 * request; the ones that only shape the command's own output are accepted and have nothing to do.
 * Anything else is refused by name, before a worker starts (an option silently dropped could mean
 * results the bucket's owner cannot read).
 */
public final class UploadFlags implements Consumer<PutObjectRequest.Builder> {

	/** The AWS CLI's output options: nothing to map. */
	private static final Set<String> QUIET = Set.of("--quiet", "--only-show-errors", "--no-progress", "--no-guess-mime-type");
	private static final List<String> ACCEPTED = List.of("--acl", "--sse", "--sse-kms-key-id", "--storage-class",
		"--content-type", "--cache-control", "--content-disposition", "--content-encoding", "--content-language",
		"--expires", "--metadata", "--metadata-directive", "--request-payer", "--quiet", "--only-show-errors",
		"--no-progress", "--no-guess-mime-type");

	private final List<Consumer<PutObjectRequest.Builder>> fields;

	private UploadFlags(List<Consumer<PutObjectRequest.Builder>> fields) {
		this.fields = List.copyOf(fields);
	}

	/** Reads the options; a wrong one is a {@link ConfigException} naming UPLOAD_FLAGS and the option. */
	public static UploadFlags parse(String text) {
		List<String> words = words(text);
		List<Consumer<PutObjectRequest.Builder>> fields = new ArrayList<>();
		for (int i = 0; i < words.size(); i++) {
			String flag = words.get(i);
			if (QUIET.contains(flag)) continue;
			// --sse alone means AES256, as in the AWS CLI.
			if (flag.equals("--sse") && (i + 1 == words.size() || words.get(i + 1).startsWith("--"))) {
				fields.add(b -> b.serverSideEncryption(ServerSideEncryption.AES256));
				continue;
			}
			if (!ACCEPTED.contains(flag)) {
				throw problem(flag.startsWith("--") ? "unknown option " + flag + " (accepted: " + String.join(" ", ACCEPTED) + ")"
					: "expected an option such as --acl, got '" + flag + "'");
			}
			if (i + 1 == words.size() || words.get(i + 1).startsWith("--")) throw problem(flag + " needs a value");
			String value = words.get(++i);
			fields.add(field(flag, value));
		}
		return new UploadFlags(fields);
	}

	private static Consumer<PutObjectRequest.Builder> field(String flag, String value) {
		return switch (flag) {
			case "--acl" -> {
				ObjectCannedACL acl = known(flag, value, ObjectCannedACL.fromValue(value), ObjectCannedACL.knownValues());
				yield b -> b.acl(acl);
			}
			case "--sse" -> {
				ServerSideEncryption sse = known(flag, value, ServerSideEncryption.fromValue(value),
					ServerSideEncryption.knownValues());
				yield b -> b.serverSideEncryption(sse);
			}
			case "--sse-kms-key-id" -> b -> b.ssekmsKeyId(value);
			case "--storage-class" -> {
				StorageClass c = known(flag, value, StorageClass.fromValue(value), StorageClass.knownValues());
				yield b -> b.storageClass(c);
			}
			case "--content-type" -> b -> b.contentType(value);
			case "--cache-control" -> b -> b.cacheControl(value);
			case "--content-disposition" -> b -> b.contentDisposition(value);
			case "--content-encoding" -> b -> b.contentEncoding(value);
			case "--content-language" -> b -> b.contentLanguage(value);
			case "--expires" -> {
				Instant at = instant(value);
				yield b -> b.expires(at);
			}
			case "--metadata" -> {
				Map<String, String> metadata = metadata(value);
				yield b -> b.metadata(metadata);
			}
			// Says which metadata a copy inside S3 keeps; an upload from a file always sets its own.
			case "--metadata-directive" -> {
				if (!Set.of("COPY", "REPLACE").contains(value)) throw problem("--metadata-directive takes COPY or REPLACE, got '" + value + "'");
				yield b -> {};
			}
			case "--request-payer" -> {
				RequestPayer payer = known(flag, value, RequestPayer.fromValue(value), RequestPayer.knownValues());
				yield b -> b.requestPayer(payer);
			}
			default -> throw new IllegalStateException(flag); // ACCEPTED and this switch list the same options
		};
	}

	@Override
	public void accept(PutObjectRequest.Builder request) {
		fields.forEach(f -> f.accept(request));
	}

	private static <E extends Enum<E>> E known(String flag, String value, E parsed, Set<E> known) {
		if (!known.contains(parsed)) {
			throw problem(flag + ": unknown value '" + value + "' (one of: " + String.join(", ", known.stream().map(Object::toString).sorted().toList()) + ")");
		}
		return parsed;
	}

	private static Instant instant(String value) {
		try {
			return Instant.parse(value);
		}
		catch (DateTimeParseException e) {
			throw problem("--expires: expected a time such as 2030-01-01T00:00:00Z, got '" + value + "'");
		}
	}

	/** The AWS CLI's shorthand, {@code key=value,key2=value2}. */
	private static Map<String, String> metadata(String value) {
		Map<String, String> metadata = new LinkedHashMap<>();
		for (String pair : value.split(",")) {
			int eq = pair.indexOf('=');
			if (eq <= 0) throw problem("--metadata: expected key=value[,key=value...], got '" + value + "'");
			metadata.put(pair.substring(0, eq), pair.substring(eq + 1));
		}
		return metadata;
	}

	/** Words split on blanks; '...' or "..." keep blanks inside one word, as a shell would. */
	private static List<String> words(String text) {
		List<String> words = new ArrayList<>();
		StringBuilder word = null;
		char quote = 0;
		for (char c : text.toCharArray()) {
			if (quote != 0) {
				if (c == quote) quote = 0;
				else word.append(c);
			}
			else if (c == '\'' || c == '"') {
				quote = c;
				if (word == null) word = new StringBuilder();
			}
			else if (Character.isWhitespace(c)) {
				if (word != null) words.add(word.toString());
				word = null;
			}
			else {
				if (word == null) word = new StringBuilder();
				word.append(c);
			}
		}
		if (quote != 0) throw problem("a quote is not closed: " + text);
		if (word != null) words.add(word.toString());
		return words;
	}

	private static ConfigException problem(String message) {
		return new ConfigException(ConfigKey.UPLOAD_FLAGS + ": " + message);
	}
}
