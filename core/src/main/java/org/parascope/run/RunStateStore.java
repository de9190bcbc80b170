package org.parascope.run;

/**
 * Where a run's state lives: on this machine (DCP's {@code files/<APP_NAME>SpotFleetRequestId.json},
 * {@link LocalRunStateStore}), or in S3 for the detached monitor, which runs as an ECS service
 * ({@code s3://bucket/key}, an adapter's). Both keep one format, {@link RunState}'s file.
 */
public interface RunStateStore {

	RunState read();

	boolean exists();

	/** Replaces the state whole. */
	void write(RunState state);

	/** The path or s3:// URL, for messages. */
	String location();

	/** Whether a location is the S3 copy a detached monitor works on, rather than a local file. */
	static boolean isS3(String location) {
		return location.startsWith("s3://");
	}

	/** Whether this is the S3 copy a detached monitor works on. */
	default boolean isS3() {
		return isS3(location());
	}

	static RunStateStore local(java.nio.file.Path file) {
		return new LocalRunStateStore(file);
	}
}
