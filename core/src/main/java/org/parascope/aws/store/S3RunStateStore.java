package org.parascope.aws.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.parascope.ParascopeException;
import org.parascope.aws.AwsErrors;
import org.parascope.run.RunState;
import org.parascope.run.RunStateStore;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A run's state in S3 ({@code s3://bucket/key}), the copy the detached monitor works on. It goes through a
 * temporary file: {@link RunState} reads and writes files, so both stores keep one format.
 */
public record S3RunStateStore(S3Client s3, String bucket, String key) implements RunStateStore {

	/** {@code url} is s3://bucket/key. */
	public static S3RunStateStore of(S3Client s3, String url) {
		String rest = url.substring("s3://".length());
		int slash = rest.indexOf('/');
		if (slash <= 0 || slash == rest.length() - 1) {
			throw new ParascopeException(url + ": expected s3://BUCKET/KEY of a state file");
		}
		return new S3RunStateStore(s3, rest.substring(0, slash), rest.substring(slash + 1));
	}

	/** The store of a location: s3://bucket/key, or else a local path. */
	public static RunStateStore at(S3Client s3, String location) {
		return RunStateStore.isS3(location) ? of(s3, location) : RunStateStore.local(Path.of(location));
	}

	@Override
	public RunState read() {
		Path temp = tempFile();
		try {
			Files.write(temp, s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
			return RunState.read(temp);
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
		catch (S3Exception e) {
			if (e.statusCode() == 404) return false;
			throw AwsErrors.failure("reading " + location(), e);
		}
		catch (SdkException e) {
			throw AwsErrors.failure("reading " + location(), e);
		}
	}

	@Override
	public void write(RunState state) {
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
