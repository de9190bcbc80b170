package org.parascope.monitor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.parascope.ParascopeException;
import org.parascope.aws.AwsErrors;
import org.parascope.aws.StateFile;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Where a run's state file lives: on this machine (DCP's {@code files/<APP_NAME>SpotFleetRequestId.json}),
 * or in S3 for the detached monitor, which runs as an ECS service ({@code s3://bucket/key}).
 */
public interface StateStore {

	StateFile read();

	boolean exists();

	/** Replaces the file whole. */
	void write(StateFile state);

	/** The path or s3:// URL, for messages. */
	String location();

	static boolean isS3(String location) {
		return location.startsWith("s3://");
	}

	static StateStore local(Path file) {
		return new Local(file);
	}

	/** {@code url} is s3://bucket/key. */
	static StateStore s3(S3Client s3, String url) {
		String rest = url.substring("s3://".length());
		int slash = rest.indexOf('/');
		if (slash <= 0 || slash == rest.length() - 1) {
			throw new ParascopeException(url + ": expected s3://BUCKET/KEY of a state file");
		}
		return new S3(s3, rest.substring(0, slash), rest.substring(slash + 1));
	}

	record Local(Path file) implements StateStore {
		@Override
		public StateFile read() {
			if (!Files.isRegularFile(file)) {
				throw new ParascopeException(file + ": no such state file (start-fleet writes it)");
			}
			return StateFile.read(file);
		}

		@Override
		public boolean exists() {
			return Files.isRegularFile(file);
		}

		@Override
		public void write(StateFile state) {
			state.write(file);
		}

		@Override
		public String location() {
			return file.toString();
		}
	}

	/** Goes through a temporary file: StateFile reads and writes files, so both forms stay one format. */
	record S3(S3Client s3, String bucket, String key) implements StateStore {
		@Override
		public StateFile read() {
			Path temp = tempFile();
			try {
				Files.write(temp, s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
				return StateFile.read(temp);
			}
			catch (NoSuchKeyException e) {
				throw new ParascopeException(location() + ": no such state file");
			}
			catch (SdkException e) {
				throw AwsErrors.failure("reading " + location(), e);
			}
			catch (ParascopeException e) {
				throw new ParascopeException(e.getMessage().replace(temp.toString(), location()));
			}
			catch (IOException e) {
				throw new UncheckedIOException(e);
			}
			finally {
				temp.toFile().delete();
			}
		}

		@Override
		public boolean exists() {
			try {
				s3.headObject(b -> b.bucket(bucket).key(key));
				return true;
			}
			catch (NoSuchKeyException e) {
				return false;
			}
			catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
				if (e.statusCode() == 404) return false;
				throw AwsErrors.failure("reading " + location(), e);
			}
			catch (SdkException e) {
				throw AwsErrors.failure("reading " + location(), e);
			}
		}

		@Override
		public void write(StateFile state) {
			Path temp = tempFile();
			try {
				state.write(temp);
				s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json"), RequestBody.fromFile(temp));
			}
			catch (SdkException e) {
				throw AwsErrors.failure("writing " + location(), e);
			}
			finally {
				temp.toFile().delete();
			}
		}

		@Override
		public String location() {
			return "s3://" + bucket + "/" + key;
		}

		private static Path tempFile() {
			try {
				return Files.createTempFile("parascope-state", ".json");
			}
			catch (IOException e) {
				throw new UncheckedIOException(e);
			}
		}
	}
}
