package org.parascope.aws;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.parascope.ParascopeException;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;

import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.crt.CRT;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.crt.S3CrtRetryConfiguration;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.transfer.s3.S3TransferManager;

/**
 * The AWS clients of one command, built on first use and closed together, signed in as the AWS CLI
 * signs in (docs/aws.md, "Signing in"). They share the profile (AWS_PROFILE, "default" meaning the
 * SDK's own choice) read from the shared files the environment names; the credentials (the SDK's
 * default chain on that profile: keys, SSO, assumed roles, processes, containers, instances); the
 * region ({@link RegionChoice}); and the endpoint rules of the AWS CLI: {@code --endpoint-url} for
 * every service, else {@code AWS_ENDPOINT_URL_<SERVICE>} (e.g. AWS_ENDPOINT_URL_SQS), else
 * {@code AWS_ENDPOINT_URL}, else the profile's {@code services} section, else its endpoint_url, else
 * AWS itself.
 */
public final class AwsClients implements AutoCloseable {

	/**
	 * Retries of one S3 request on throttling (503 SlowDown) and other passing errors. The SDK's
	 * standard strategy and the CRT both back off exponentially with jitter; their defaults (2 and 5
	 * retries) give up within seconds, while many workers starting on one prefix can be throttled
	 * for longer, and a task that gives up costs a whole try.
	 */
	static final int S3_RETRIES = 10;

	private final RegionChoice region;
	private final AwsProfile profile;
	private final DefaultCredentialsProvider chain;
	private final AwsCredentialsProvider credentials;
	private final URI endpoint;
	private final Map<String, String> env;
	private final List<AutoCloseable> open = new ArrayList<>();

	private SqsClient sqs;
	private S3Client s3;
	private S3TransferManager transfer;
	private EcsClient ecs;
	private Ec2Client ec2;
	private IamClient iam;
	private CloudWatchClient cloudWatch;
	private CloudWatchLogsClient logs;
	private SsmClient ssm;
	private StsClient sts;

	/**
	 * @param endpoint the --endpoint-url option, or null
	 * @param env the environment, for AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>
	 */
	public AwsClients(Config config, URI endpoint, Map<String, String> env) {
		this(config, null, endpoint, env);
	}

	/**
	 * @param region the --region option, or null
	 * @param endpoint the --endpoint-url option, or null
	 * @param env the environment: the region and endpoint variables, where the shared files are
	 * @throws ParascopeException for a malformed endpoint, an unreadable shared file or an unknown region
	 */
	public AwsClients(Config config, String region, URI endpoint, Map<String, String> env) {
		this.profile = AwsProfile.of(config.string(ConfigKey.AWS_PROFILE), env);
		this.chain = DefaultCredentialsProvider.builder().profileFile(profile::files).profileName(profile.name()).build();
		this.credentials = this::signIn;
		this.endpoint = endpoint == null ? null : checked("--endpoint-url", endpoint.toString());
		this.env = Map.copyOf(env);
		for (String name : List.of("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SQS", "AWS_ENDPOINT_URL_S3")) {
			Optional.ofNullable(env.get(name)).ifPresent(url -> checked(name, url));
		}
		this.region = RegionChoice.of(region, this.env, config, profile).checked(endpoint("SQS").isPresent());
	}

	/**
	 * Whether the SDK's credential chain finds credentials (variables, system properties, profile,
	 * container or instance role). Asks nothing of AWS: a check without credentials stays offline.
	 */
	public boolean hasCredentials() {
		try {
			credentials.resolveCredentials();
			return true;
		}
		catch (SdkClientException e) {
			return false;
		}
	}

	public Region region() {
		return region.region();
	}

	/** The region and where it came from, for the line a command prints. */
	public RegionChoice regionChoice() {
		return region;
	}

	/**
	 * Where calls to a service go when not to AWS itself. {@code serviceId} is the upper-case name
	 * of the standard variable: SQS, S3, ECS, EC2, IAM, CLOUDWATCH, CLOUDWATCH_LOGS, SSM, STS.
	 */
	public Optional<URI> endpoint(String serviceId) {
		if (endpoint != null) return Optional.of(endpoint);
		String name = "AWS_ENDPOINT_URL_" + serviceId;
		String url = env.getOrDefault(name, env.get("AWS_ENDPOINT_URL"));
		if (url != null) return Optional.of(checked(env.containsKey(name) ? name : "AWS_ENDPOINT_URL", url));
		// Resolved here rather than left to the SDK: the S3 clients need to know (path-style addressing),
		// and the CRT-based one does not read the shared config file.
		return profile.endpointUrl(serviceId.toLowerCase(java.util.Locale.ROOT))
			.map(u -> checked("endpoint_url of " + profile.where(), u));
	}

	/**
	 * The instance metadata service (IMDS), as the SDK finds it: AWS_EC2_METADATA_SERVICE_ENDPOINT, else
	 * the link-local address; empty when AWS_EC2_METADATA_DISABLED is true.
	 */
	public Optional<URI> metadataEndpoint() {
		if ("true".equalsIgnoreCase(env.get("AWS_EC2_METADATA_DISABLED"))) return Optional.empty();
		String name = "AWS_EC2_METADATA_SERVICE_ENDPOINT";
		return Optional.of(checked(name, env.getOrDefault(name, "http://169.254.169.254")));
	}

	public synchronized SqsClient sqs() {
		return sqs = built(sqs, () -> configure(SqsClient.builder(), "SQS").build());
	}

	public synchronized S3Client s3() {
		return s3 = built(s3, () -> configure(S3Client.builder(), "S3",
			o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(S3_RETRIES + 1).build()))
			.forcePathStyle(endpoint("S3").isPresent()).build());
	}

	/** Parallel, multipart transfers on the CRT-based S3 client. */
	public synchronized S3TransferManager transfer() {
		if (transfer == null) {
			var builder = S3AsyncClient.crtBuilder().region(region()).credentialsProvider(credentials)
				.retryConfiguration(S3CrtRetryConfiguration.builder().numRetries(S3_RETRIES).build());
			endpoint("S3").ifPresent(uri -> builder.endpointOverride(uri).forcePathStyle(true));
			S3AsyncClient client = remember(builder.build());
			transfer = remember(S3TransferManager.builder().s3Client(client).build());
		}
		return transfer;
	}

	/**
	 * Keeps S3 transfers working during the JVM's shutdown until the returned action runs. The CRT
	 * ends its native threads in a shutdown hook of its own, which would cut the uploads of a worker
	 * finishing its tasks after SIGTERM; while a reference is held, that hook leaves them running.
	 */
	public Runnable holdTransfersThroughShutdown() {
		CRT.acquireShutdownRef();
		AtomicBoolean released = new AtomicBoolean();
		return () -> {
			if (released.compareAndSet(false, true)) CRT.releaseShutdownRef();
		};
	}

	public synchronized EcsClient ecs() {
		return ecs = built(ecs, () -> configure(EcsClient.builder(), "ECS").build());
	}

	public synchronized Ec2Client ec2() {
		return ec2 = built(ec2, () -> configure(Ec2Client.builder(), "EC2").build());
	}

	public synchronized IamClient iam() {
		// IAM is global; its API lives in us-east-1 (aws-global) whatever region the rest uses.
		return iam = built(iam, () -> configure(IamClient.builder(), "IAM").region(Region.AWS_GLOBAL).build());
	}

	public synchronized CloudWatchClient cloudWatch() {
		return cloudWatch = built(cloudWatch, () -> configure(CloudWatchClient.builder(), "CLOUDWATCH").build());
	}

	public synchronized CloudWatchLogsClient logs() {
		return logs = built(logs, () -> configure(CloudWatchLogsClient.builder(), "CLOUDWATCH_LOGS").build());
	}

	public synchronized SsmClient ssm() {
		return ssm = built(ssm, () -> configure(SsmClient.builder(), "SSM").build());
	}

	public synchronized StsClient sts() {
		return sts = built(sts, () -> configure(StsClient.builder(), "STS").build());
	}

	private <B extends AwsClientBuilder<B, ?>> B configure(B builder, String serviceId) {
		return configure(builder, serviceId, o -> {});
	}

	/**
	 * The region, credentials and endpoint of every client; the profile too, so that what else the SDK
	 * reads from it (retry_mode, max_attempts, ...) comes from the same profile and files.
	 */
	private <B extends AwsClientBuilder<B, ?>> B configure(B builder, String serviceId,
		Consumer<ClientOverrideConfiguration.Builder> more) {
		builder.region(region()).credentialsProvider(credentials).overrideConfiguration(o -> {
			o.defaultProfileFileSupplier(profile::files).defaultProfileName(profile.name());
			more.accept(o);
		});
		endpoint(serviceId).ifPresent(builder::endpointOverride);
		return builder;
	}

	private <C extends AutoCloseable> C built(C existing, Supplier<C> build) {
		return existing != null ? existing : remember(build.get());
	}

	private <C extends AutoCloseable> C remember(C client) {
		open.add(client);
		return client;
	}

	private static URI checked(String name, String url) {
		URI uri;
		try {
			uri = URI.create(url);
		}
		catch (IllegalArgumentException e) {
			throw new ParascopeException(name + ": not a URL: " + url);
		}
		if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
			throw new ParascopeException(name + ": expected an http:// or https:// URL, got " + url);
		}
		return uri;
	}

	/**
	 * The SDK's credentials; when they fail on a profile that signs in through IAM Identity Center, the
	 * error says so and how to sign in again, before the SDK's own reason.
	 */
	private AwsCredentials signIn() {
		try {
			return chain.resolveCredentials();
		}
		catch (SdkClientException e) {
			Optional<String> sso = profile.ssoSignIn();
			if (sso.isEmpty()) throw e;
			throw SdkClientException.create("AWS " + profile.where() + " signs in through IAM Identity Center (SSO, " + sso.get()
				+ "); 'aws sso login --profile " + profile.name() + "' signs in again. The SDK's reason: " + e.getMessage(), e);
		}
	}

	/** The credentials every client signs with. */
	public AwsCredentialsProvider credentials() {
		return credentials;
	}

	@Override
	public synchronized void close() {
		// Closed in reverse: the transfer manager before the S3 client under it.
		for (int i = open.size() - 1; i >= 0; i--) {
			try {
				open.get(i).close();
			}
			catch (Exception e) {
				// Closing is best effort: a client that fails to close holds nothing we still need.
			}
		}
		open.clear();
		chain.close();
	}
}
