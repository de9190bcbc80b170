package org.parascope.aws.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.parascope.AccessFinding;
import org.parascope.Parascope;
import org.parascope.aws.AwsClients;
import org.parascope.aws.MotoServer;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;

/** The Check of Fiji's Configure dialog: what works, and in plain words what is missing. */
@ExtendWith(MotoServer.class)
class AccessCheckTest {

	@Test
	void saysWhichBucketAndWhichAccountSetupIsMissingThenThatAllIsWell() {
		Config config = Config.defaults().with(ConfigKey.AWS_BUCKET, "images").with(ConfigKey.DESTINATION_BUCKET, "results")
			.with(ConfigKey.MACHINE_TYPE, List.of("m5.large"));
		try (AwsClients aws = new AwsClients(config, null, MotoServer.env()); Parascope parascope = new Parascope(config, aws)) {
			aws.s3().createBucket(b -> b.bucket("images"));
			List<String> missing = parascope.checkAccess().stream().filter(f -> !f.ok()).map(AccessFinding::line).toList();
			assertEquals(3, missing.size(), missing.toString());
			assertEquals("bucket results does not exist: create it in us-east-1 or correct the bucket setting", missing.get(0));
			assertTrue(missing.get(1).startsWith("account setup missing: no instance profile ParascopeEcsInstanceRole"), missing.get(1));
			assertEquals("DOCKERHUB_TAG is not set: the worker image the machines run", missing.get(2));

			aws.s3().createBucket(b -> b.bucket("results"));
			parascope.initAccount();
			Parascope ready = new Parascope(config.with(ConfigKey.DOCKERHUB_TAG, "parascope/worker:0.1.0"), aws);
			List<AccessFinding> findings = ready.checkAccess();
			assertTrue(findings.stream().allMatch(AccessFinding::ok), findings.toString());
			assertTrue(findings.get(0).line().startsWith("credentials: account 123456789012"), findings.get(0).line());
		}
	}
}
