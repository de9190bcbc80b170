package org.parascope;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.parascope.aws.AwsClients;
import org.parascope.aws.store.S3ObjectStore;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;
import org.parascope.job.Job;
import org.parascope.job.make.FileListing;
import org.parascope.store.KeyRule;
import org.parascope.store.ObjectStore;
import org.parascope.store.TransferListener;
import org.parascope.store.Upload;
import org.parascope.submit.JobObjects;

/**
 * The config's buckets (SOURCE_BUCKET, WORKSPACE_BUCKET, DESTINATION_BUCKET, each AWS_BUCKET unless set)
 * as S3 stores: what a job names checked there, a job's files listed, uploaded, and its results downloaded.
 */
final class Buckets {

	private final Config config;
	private final AwsClients aws;

	Buckets(Config config, AwsClients aws) {
		this.config = config;
		this.aws = aws;
	}

	/** The bucket of {@code key}, which must be set. */
	S3ObjectStore bucket(ConfigKey key) {
		String bucket = config.string(key);
		if (bucket == null) throw new ParascopeException(key + " (or AWS_BUCKET) is not set: the bucket workers use");
		return S3ObjectStore.of(aws, bucket);
	}

	/** The store of an {@code s3://BUCKET/PREFIX} location (SCRIPT_DOWNLOAD_URL's). */
	ObjectStore at(String location) {
		return S3ObjectStore.of(aws, location);
	}

	/** See {@link Parascope#checkJobObjects}. */
	List<String> checkJobObjects(Job job) {
		List<String> problems = new ArrayList<>();
		ObjectStore[] stores = new ObjectStore[3];
		ConfigKey[] keys = { ConfigKey.WORKSPACE_BUCKET, ConfigKey.SOURCE_BUCKET, ConfigKey.DESTINATION_BUCKET };
		for (int i = 0; i < keys.length; i++) {
			String bucket = config.string(keys[i]);
			if (bucket == null) problems.add(keys[i] + " (or AWS_BUCKET) is not set: the bucket workers use");
			// Reads only: the S3 client alone, not the transfer manager.
			else stores[i] = new S3ObjectStore(aws.s3(), null, bucketName(bucket), bucketPrefix(bucket));
		}
		if (!problems.isEmpty()) return problems;
		return JobObjects.check(job, stores[0], stores[1], stores[2]);
	}

	/** See {@link Parascope#listFiles}. */
	FileListing listFiles(String location, String glob) {
		String prefix = bucketPrefix(location);
		if (!prefix.isEmpty() && !prefix.endsWith("/")) prefix += "/";
		return FileListing.ofStore(new S3ObjectStore(aws.s3(), null, bucketName(location), ""), prefix, glob);
	}

	private static String bucketName(String location) {
		String rest = location.startsWith("s3://") ? location.substring(5) : location;
		return rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
	}

	private static String bucketPrefix(String location) {
		String rest = location.startsWith("s3://") ? location.substring(5) : location;
		return rest.contains("/") ? rest.substring(rest.indexOf('/') + 1) : "";
	}

	/** See {@link Parascope#upload(ConfigKey, Map, TransferListener)}. */
	Upload.Result upload(ConfigKey bucket, Map<String, Path> files, TransferListener listener) {
		return Upload.missing(bucket(bucket), files, listener);
	}

	/** See {@link Parascope#download}. */
	List<String> download(String prefix, Path folder, TransferListener listener) {
		ObjectStore results = bucket(ConfigKey.DESTINATION_BUCKET);
		String under = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
		Map<String, Path> objects = new LinkedHashMap<>();
		try (var listing = results.list(under)) {
			listing.forEach(o -> objects.put(o.key(),
				KeyRule.resolve(folder, o.key().substring(under.length()), "object key below " + prefix + ":")));
		}
		results.getAll(objects, listener);
		return List.copyOf(objects.keySet());
	}
}
