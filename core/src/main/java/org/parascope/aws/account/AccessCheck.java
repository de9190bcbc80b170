package org.parascope.aws.account;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.parascope.AccessFinding;
import org.parascope.ParascopeException;
import org.parascope.aws.AwsClients;
import org.parascope.aws.AwsErrors;
import org.parascope.aws.Names;
import org.parascope.aws.fleet.FleetChecks;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Tries, with the config's credentials, one harmless call of each kind a run makes, and says in plain
 * words what works and what is missing. Changes nothing.
 */
public final class AccessCheck {

	private final Config config;
	private final AwsClients aws;
	private final List<AccessFinding> findings = new ArrayList<>();

	private AccessCheck(Config config, AwsClients aws) {
		this.config = config;
		this.aws = aws;
	}

	public static List<AccessFinding> run(Config config, AwsClients aws) {
		return new AccessCheck(config, aws).check();
	}

	private List<AccessFinding> check() {
		String who = ask("credentials (AWS_PROFILE " + config.string(ConfigKey.AWS_PROFILE) + ")", () -> {
			var me = aws.sts().getCallerIdentity();
			return "credentials: account " + me.account() + " as " + me.arn();
		});
		// Without working credentials every other call fails the same way: one line says it all.
		if (who == null) return findings;
		buckets();
		ask("the task queue (SQS)", () -> {
			aws.sqs().listQueues(b -> b.queueNamePrefix(config.string(ConfigKey.APP_NAME)));
			return "SQS: may list and use queues in " + aws.region();
		});
		ask("containers (ECS)", () -> {
			aws.ecs().listClusters();
			return "ECS: may list clusters";
		});
		ask("machines (EC2, MACHINE_TYPE)", () -> {
			FleetChecks.instanceTypes(aws, config.list(ConfigKey.MACHINE_TYPE));
			return "EC2: " + String.join(", ", config.list(ConfigKey.MACHINE_TYPE)) + " offered in " + aws.region();
		});
		roles();
		findings.add(config.has(ConfigKey.DOCKERHUB_TAG)
			? new AccessFinding(true, "worker image: " + config.string(ConfigKey.DOCKERHUB_TAG))
			: new AccessFinding(false, "DOCKERHUB_TAG is not set: the worker image the machines run"));
		return findings;
	}

	private void buckets() {
		if (!config.has(ConfigKey.AWS_BUCKET)) {
			findings.add(new AccessFinding(false, "AWS_BUCKET is not set: the bucket for images, results and logs"));
		}
		Set<String> buckets = new LinkedHashSet<>();
		for (ConfigKey key : List.of(ConfigKey.AWS_BUCKET, ConfigKey.SOURCE_BUCKET, ConfigKey.WORKSPACE_BUCKET,
			ConfigKey.DESTINATION_BUCKET)) {
			if (config.has(key)) buckets.add(config.string(key));
		}
		for (String bucket : buckets) {
			try {
				aws.s3().headBucket(b -> b.bucket(bucket));
				findings.add(new AccessFinding(true, "bucket " + bucket + ": reachable"));
			}
			catch (NoSuchBucketException e) {
				findings.add(new AccessFinding(false, "bucket " + bucket + " does not exist: create it in " + aws.region()
					+ " or correct the bucket setting"));
			}
			catch (S3Exception e) {
				findings.add(new AccessFinding(false, e.statusCode() == 403
					? "bucket " + bucket + " exists but these credentials may not use it"
					: "bucket " + bucket + ": " + AwsErrors.explain(e)));
			}
			catch (SdkException e) {
				findings.add(new AccessFinding(false, "bucket " + bucket + ": " + AwsErrors.explain(e)));
			}
		}
	}

	private void roles() {
		try {
			aws.iam().getInstanceProfile(b -> b.instanceProfileName(Names.INSTANCE_PROFILE));
			findings.add(new AccessFinding(true, "account setup: instance profile " + Names.INSTANCE_PROFILE + " exists"));
		}
		catch (NoSuchEntityException e) {
			findings.add(new AccessFinding(false, "account setup missing: no instance profile " + Names.INSTANCE_PROFILE
				+ "; someone with IAM rights runs the account setup once ('parascope init-account', or Start Fleet"
				+ " with 'create the account's roles')"));
		}
		catch (SdkException e) {
			findings.add(new AccessFinding(false, "account setup: cannot tell (" + AwsErrors.explain(e) + ")"));
		}
	}

	/** Runs one call; its line on success, else a finding saying what failed and null. */
	private String ask(String what, Supplier<String> call) {
		try {
			String line = call.get();
			findings.add(new AccessFinding(true, line));
			return line;
		}
		catch (SdkException e) {
			findings.add(new AccessFinding(false, what + ": " + AwsErrors.explain(e)));
		}
		catch (ParascopeException e) {
			findings.add(new AccessFinding(false, what + ": " + e.getMessage()));
		}
		return null;
	}
}
