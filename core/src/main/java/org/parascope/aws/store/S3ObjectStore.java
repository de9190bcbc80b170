package org.parascope.aws.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.parascope.ParascopeException;
import org.parascope.aws.AwsClients;
import org.parascope.aws.AwsErrors;
import org.parascope.store.ObjectStore;
import org.parascope.store.StoredObject;
import org.parascope.store.TransferListener;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.transfer.s3.S3TransferManager;

/**
 * One S3 bucket, optionally below a key prefix, as an object store. Files move through the
 * transfer manager on the CRT-based client (large files in parallel parts, both ways); the small
 * calls (HeadObject, DeleteObject, ListObjectsV2) go through the plain S3 client.
 *
 * <p>With the moto emulator this needs nothing beyond what {@link AwsClients} does (path-style
 * addressing, as 127.0.0.1 has no bucket subdomains): moto accepts the SDK's default CRC32
 * checksums and the CRT's multipart uploads and ranged downloads. The CRT reports a failed GET as a
 * bare 404 without S3's error code, so a missing object is told from a missing bucket by HeadBucket.
 */
public final class S3ObjectStore implements ObjectStore {

	/**
	 * User metadata (x-amz-meta-sha256) with the content's SHA-256: S3's own ETag is an MD5 only for
	 * single-part uploads, so it cannot tell whether a large local file is already stored.
	 */
	static final String SHA256_METADATA = "sha256";
	/** Files moving at once in putAll/getAll: the CRT splits each further into parts. */
	private static final int IN_FLIGHT = 32;

	private final S3Client s3;
	private final S3TransferManager transfer;
	private final String bucket;
	private final String prefix;
	private final Consumer<PutObjectRequest.Builder> uploads;
	private volatile boolean bucketSeen;

	/** @param prefix prepended to every key (a '/' is added if missing); "" for the whole bucket */
	public S3ObjectStore(S3Client s3, S3TransferManager transfer, String bucket, String prefix) {
		this(s3, transfer, bucket, prefix, request -> {});
	}

	private S3ObjectStore(S3Client s3, S3TransferManager transfer, String bucket, String prefix,
		Consumer<PutObjectRequest.Builder> uploads) {
		if (bucket == null || bucket.isBlank()) throw new ParascopeException("no S3 bucket given");
		this.s3 = s3;
		this.transfer = transfer;
		this.bucket = bucket;
		this.prefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
		this.uploads = uploads;
	}

	/**
	 * The same store, uploading with UPLOAD_FLAGS (e.g. {@code --acl bucket-owner-full-control}); a
	 * flag it cannot honour is a config error, raised here.
	 */
	public S3ObjectStore withUploadFlags(String flags) {
		return new S3ObjectStore(s3, transfer, bucket, prefix, UploadFlags.parse(flags));
	}

	/** A store at {@code bucket}, {@code bucket/prefix} or {@code s3://bucket/prefix}, as config files name them. */
	public static S3ObjectStore of(AwsClients aws, String location) {
		String rest = location.startsWith("s3://") ? location.substring("s3://".length()) : location;
		int slash = rest.indexOf('/');
		String bucket = slash < 0 ? rest : rest.substring(0, slash);
		return new S3ObjectStore(aws.s3(), aws.transfer(), bucket, slash < 0 ? "" : rest.substring(slash + 1));
	}

	@Override
	public void put(String key, Path file) {
		join(putAsync(key, file), "storing", key);
	}

	@Override
	public void get(String key, Path file) {
		join(getAsync(key, file), "fetching", key);
	}

	@Override
	public void putAll(Map<String, Path> files, TransferListener listener) {
		transferAll(files, this::putAsync, "storing", listener);
	}

	@Override
	public void getAll(Map<String, Path> objects, TransferListener listener) {
		transferAll(objects, this::getAsync, "fetching", listener);
	}

	@Override
	public void putAllRecordingSha256(Map<String, Path> files, Map<String, String> sha256, TransferListener listener) {
		transferAll(files, (key, file) -> putAsync(key, file, Map.of(SHA256_METADATA, sha256.get(key))), "storing",
			listener);
	}

	@Override
	public Optional<String> sha256(String key) {
		try {
			return Optional.ofNullable(s3.headObject(b -> b.bucket(bucket).key(objectKey(key))).metadata().get(SHA256_METADATA));
		}
		catch (NoSuchKeyException e) {
			checkBucket();
			return Optional.empty();
		}
		catch (SdkException e) {
			throw failure("checking", key, e);
		}
	}

	/** A HEAD of the bucket: 404 says it does not exist, 403 that it is not this account's to read. */
	@Override
	public void checkReachable() {
		checkBucket();
	}

	@Override
	public boolean exists(String key) {
		try {
			s3.headObject(b -> b.bucket(bucket).key(objectKey(key)));
			return true;
		}
		catch (NoSuchKeyException e) {
			// The SDK says NoSuchKey for any 404 of a HEAD, also when the bucket is missing.
			checkBucket();
			return false;
		}
		catch (SdkException e) {
			throw failure("checking", key, e);
		}
	}

	@Override
	public Stream<StoredObject> list(String keyPrefix) {
		// Nothing is asked before the stream needs it; then one page of up to 1,000 keys at a time.
		Iterator<StoredObject> objects = new Iterator<>() {
			private Iterator<S3Object> pages;

			@Override
			public boolean hasNext() {
				try {
					if (pages == null) {
						pages = s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix + keyPrefix)).contents().iterator();
					}
					return pages.hasNext();
				}
				catch (SdkException e) {
					throw failure("listing", keyPrefix, e);
				}
			}

			@Override
			public StoredObject next() {
				if (!hasNext()) throw new java.util.NoSuchElementException();
				S3Object o = pages.next();
				return new StoredObject(o.key().substring(prefix.length()), o.size());
			}
		};
		return StreamSupport.stream(Spliterators.spliteratorUnknownSize(objects, Spliterator.ORDERED | Spliterator.NONNULL), false);
	}

	@Override
	public void delete(String key) {
		try {
			s3.deleteObject(b -> b.bucket(bucket).key(objectKey(key)));
		}
		catch (SdkException e) {
			throw failure("deleting", key, e);
		}
	}

	@Override
	public String location() {
		return prefix.isEmpty() ? "s3://" + bucket : "s3://" + bucket + "/" + prefix.substring(0, prefix.length() - 1);
	}

	private CompletableFuture<Long> putAsync(String key, Path file) {
		return putAsync(key, file, Map.of());
	}

	private CompletableFuture<Long> putAsync(String key, Path file, Map<String, String> metadata) {
		String objectKey = objectKey(key);
		return transfer.uploadFile(u -> u.source(file).putObjectRequest(b -> {
			uploads.accept(b.bucket(bucket).key(objectKey));
			if (metadata.isEmpty()) return;
			// Beside any metadata UPLOAD_FLAGS asks for.
			Map<String, String> all = new LinkedHashMap<>(b.build().metadata());
			all.putAll(metadata);
			b.metadata(all);
		}))
			.completionFuture().thenApply(done -> file.toFile().length());
	}

	/** Downloads beside the target, then moves: a reader never sees half an object. */
	private CompletableFuture<Long> getAsync(String key, Path file) {
		String objectKey = objectKey(key);
		Path target = file.toAbsolutePath();
		Path partial;
		try {
			Files.createDirectories(target.getParent());
			partial = target.resolveSibling(".partial-" + UUID.randomUUID());
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot create the folder of " + file, e);
		}
		return transfer.downloadFile(d -> d.destination(partial).getObjectRequest(b -> b.bucket(bucket).key(objectKey)))
			.completionFuture()
			.handle((done, error) -> {
				try {
					if (error != null) {
						Files.deleteIfExists(partial);
						throw error instanceof CompletionException c ? c : new CompletionException(error);
					}
					Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
					return Files.size(target);
				}
				catch (IOException e) {
					throw new CompletionException(e);
				}
			});
	}

	/**
	 * Runs transfers with at most {@link #IN_FLIGHT} at once. After a failure no new one starts; the
	 * ones under way end, then the first failure is thrown.
	 */
	private void transferAll(Map<String, Path> items, BiFunction<String, Path, CompletableFuture<Long>> start,
		String doing, TransferListener listener)
	{
		Semaphore slots = new Semaphore(IN_FLIGHT);
		AtomicBoolean failed = new AtomicBoolean();
		Map<String, CompletableFuture<Long>> started = new LinkedHashMap<>();
		try {
			for (Map.Entry<String, Path> item : items.entrySet()) {
				slots.acquire();
				if (failed.get()) break;
				String key = item.getKey();
				started.put(key, start.apply(key, item.getValue()).whenComplete((bytes, error) -> {
					try {
						if (error == null) listener.transferred(key, bytes);
						else failed.set(true);
					}
					finally {
						slots.release();
					}
				}));
			}
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			started.values().forEach(f -> f.cancel(true));
			throw new ParascopeException("interrupted while " + doing + " files in " + location());
		}
		finally {
			// Every started transfer ends before this returns: no file is left half-written behind.
			CompletableFuture.allOf(started.values().toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
		}
		started.forEach((key, future) -> join(future, doing, key));
	}

	private <T> T join(CompletableFuture<T> future, String doing, String key) {
		try {
			return future.join();
		}
		catch (CompletionException e) {
			throw failure(doing, key, e.getCause() != null ? e.getCause() : e);
		}
	}

	private RuntimeException failure(String doing, String key, Throwable e) {
		if (e instanceof CompletionException && e.getCause() != null) e = e.getCause();
		if (e instanceof NoSuchBucketException) return missingBucket();
		if ("fetching".equals(doing) && e instanceof S3Exception s && s.statusCode() == 404) {
			checkBucket();
			return new ParascopeException("no object " + url(key));
		}
		if (e instanceof SdkException sdk) return AwsErrors.failure(doing + " " + url(key), sdk);
		if (e instanceof IOException io) return new UncheckedIOException(doing + " " + url(key) + ": " + io.getMessage(), io);
		if (e instanceof RuntimeException r) return r;
		return new ParascopeException(doing + " " + url(key) + ": " + e, e);
	}

	/** Throws the plain message when the bucket is missing; asks S3 once per store at most. */
	private void checkBucket() {
		if (bucketSeen) return;
		try {
			s3.headBucket(b -> b.bucket(bucket));
			bucketSeen = true;
		}
		catch (NoSuchBucketException e) {
			throw missingBucket();
		}
		catch (SdkException e) {
			throw AwsErrors.failure("checking bucket " + bucket, e);
		}
	}

	private ParascopeException missingBucket() {
		return new ParascopeException("bucket " + bucket + " does not exist or is not yours");
	}

	private String objectKey(String key) {
		if (key.isEmpty()) throw new ParascopeException("empty object key in " + location());
		return prefix + key;
	}

	private String url(String key) {
		return "s3://" + bucket + "/" + prefix + key;
	}
}
