package org.parascope.aws.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parascope.config.ConfigKey.*;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.parascope.ParascopeException;
import org.parascope.aws.AwsClients;
import org.parascope.aws.MotoServer;
import org.parascope.aws.Names;
import org.parascope.config.Config;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.Role;

/** parascope init-account [--destroy] against the emulator's IAM. */
@ExtendWith(MotoServer.class)
class AccountRolesTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();
	private static final String MANAGED = "arn:aws:iam::aws:policy/service-role/";

	private final AwsClients aws = new AwsClients(config(), null, MotoServer.env());

	static Config config() {
		return Config.defaults().with(APP_NAME, "Cells").with(AWS_BUCKET, "cells-logs").with(SOURCE_BUCKET, "cells-images")
			.with(DESTINATION_BUCKET, "cells-results").with(LOG_GROUP_NAME, "cells-logs");
	}

	@AfterEach
	void close() {
		aws.close();
	}

	private List<String> create(Config config) {
		return new AccountRoles(config, aws).create();
	}

	@Test
	void createsTheRolesWithTheirTrustAndOnlyWhatWorkersNeed() throws Exception {
		List<String> lines = create(config());
		String account = aws.sts().getCallerIdentity().account();
		assertEquals(List.of(
			"role ParascopeEcsInstanceRole: created (arn:aws:iam::" + account + ":role/ParascopeEcsInstanceRole)",
			"instance profile ParascopeEcsInstanceRole: created (arn:aws:iam::" + account + ":instance-profile/ParascopeEcsInstanceRole)",
			"role ParascopeSpotFleetRole: created (arn:aws:iam::" + account + ":role/ParascopeSpotFleetRole)",
			"role CellsTaskRole: created (arn:aws:iam::" + account + ":role/CellsTaskRole)"), lines);

		assertEquals("ec2.amazonaws.com", trustedService("ParascopeEcsInstanceRole"));
		assertEquals(List.of(MANAGED + "AmazonEC2ContainerServiceforEC2Role"), managedPolicies("ParascopeEcsInstanceRole"));
		assertEquals(List.of("ParascopeEcsInstanceRole"), aws.iam().getInstanceProfile(b -> b.instanceProfileName(
			Names.INSTANCE_PROFILE)).instanceProfile().roles().stream().map(Role::roleName).toList());
		assertEquals("spotfleet.amazonaws.com", trustedService("ParascopeSpotFleetRole"));
		assertEquals(List.of(MANAGED + "AmazonEC2SpotFleetTaggingRole"), managedPolicies("ParascopeSpotFleetRole"));

		assertEquals("ecs-tasks.amazonaws.com", trustedService("CellsTaskRole"));
		assertEquals(account, trust("CellsTaskRole").at("/Statement/0/Condition/StringEquals/aws:SourceAccount").asText());
		assertEquals(List.of(), managedPolicies("CellsTaskRole"));
		assertEquals(List.of("ParascopeWorker"), aws.iam().listRolePolicies(b -> b.roleName("CellsTaskRole")).policyNames());
		JsonNode policy = workerPolicy("CellsTaskRole");
		Set<String> actions = new TreeSet<>(), resources = new TreeSet<>();
		for (JsonNode statement : policy.get("Statement")) {
			assertEquals("Allow", statement.get("Effect").asText());
			statement.get("Action").forEach(a -> actions.add(a.asText()));
			statement.get("Resource").forEach(r -> resources.add(r.asText()));
		}
		actions.forEach(a -> assertFalse(a.contains("*"), a));
		assertEquals(Set.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes",
			"sqs:GetQueueUrl", "s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "logs:CreateLogStream",
			"logs:PutLogEvents"), actions);
		String sqs = "arn:aws:sqs:us-east-1:" + account + ":", logs = "arn:aws:logs:us-east-1:" + account + ":log-group:";
		assertEquals(Set.of(sqs + "CellsQueue", sqs + "CellsDeadMessages",
			"arn:aws:s3:::cells-logs", "arn:aws:s3:::cells-images", "arn:aws:s3:::cells-results",
			"arn:aws:s3:::cells-logs/*", "arn:aws:s3:::cells-images/*", "arn:aws:s3:::cells-results/*",
			logs + "cells-logs:*", logs + "cells-logs_perInstance:*"), resources);
		// Workers only count the dead-letter queue; they never take from it.
		for (JsonNode statement : policy.get("Statement")) {
			if (statement.get("Resource").toString().contains("CellsDeadMessages")) {
				assertEquals("[\"sqs:GetQueueAttributes\",\"sqs:GetQueueUrl\"]", statement.get("Action").toString());
			}
		}
	}

	@Test
	void aSecondRunChangesNothingAndSaysSo() {
		create(config());
		String before = state();
		List<String> lines = create(config());
		assertEquals(4, lines.size());
		lines.forEach(line -> assertTrue(line.matches("[^:]+: unchanged \\(arn:aws:iam::\\d+:[a-z-]+/\\w+\\)"), line));
		assertEquals(before, state());
	}

	@Test
	void aNewBucketIsAddedToTheTaskRolePolicy() throws Exception {
		create(config());
		List<String> lines = create(config().with(DESTINATION_BUCKET, "cells-results-2"));
		assertTrue(lines.get(3).startsWith("role CellsTaskRole: updated: ParascopeWorker policy +arn:aws:s3:::cells-results-2 "
			+ "+arn:aws:s3:::cells-results-2/* -arn:aws:s3:::cells-results -arn:aws:s3:::cells-results/*"), lines.get(3));
		assertTrue(workerPolicy("CellsTaskRole").toString().contains("arn:aws:s3:::cells-results-2/*"));
	}

	@Test
	void destroyRemovesExactlyWhatItCreated() {
		// Someone's own role that happens to have Parascope's name, and an unrelated one.
		aws.iam().createRole(b -> b.roleName("ParascopeSpotFleetRole").assumeRolePolicyDocument(trustOf("spotfleet.amazonaws.com")));
		aws.iam().createRole(b -> b.roleName("theirs").assumeRolePolicyDocument(trustOf("ec2.amazonaws.com")));
		List<String> lines = create(config());
		assertTrue(lines.get(2).startsWith("role ParascopeSpotFleetRole: exists, not created by Parascope: left as is"), lines.get(2));
		assertEquals(List.of(), managedPolicies("ParascopeSpotFleetRole"));

		List<String> destroyed = new AccountRoles(config(), aws).destroy();
		assertEquals(List.of("role CellsTaskRole: deleted", "role CellsMonitorRole: not found",
			"role ParascopeSpotFleetRole: not created by Parascope: left as is",
			"instance profile ParascopeEcsInstanceRole: deleted", "role ParascopeEcsInstanceRole: deleted"), destroyed);
		assertEquals(Set.of("ParascopeSpotFleetRole", "theirs"), roleNames());
		assertEquals(List.of(), aws.iam().listInstanceProfiles().instanceProfiles());

		assertEquals(List.of("role CellsTaskRole: not found", "role CellsMonitorRole: not found",
			"role ParascopeSpotFleetRole: not created by Parascope: left as is",
			"role ParascopeEcsInstanceRole: not found"), new AccountRoles(config(), aws).destroy());
	}

	@Test
	void destroyKeepsTheSharedRolesWhileAnotherAppsTaskRoleExistsAndSaysSo() {
		// As filed: --destroy for one app removed the instance role, profile and Spot Fleet role other apps' fleets use.
		create(config());
		create(config().with(APP_NAME, "Other"));

		List<String> first = new AccountRoles(config(), aws).destroy();

		String kept = ": kept: shared with other apps, whose task roles still exist (OtherTaskRole); it goes with the last of them";
		assertEquals(List.of("role CellsTaskRole: deleted", "role CellsMonitorRole: not found", "role ParascopeSpotFleetRole" + kept,
			"role ParascopeEcsInstanceRole" + kept), first);
		assertEquals(Set.of("OtherTaskRole", "ParascopeEcsInstanceRole", "ParascopeSpotFleetRole"), roleNames());
		assertEquals(1, aws.iam().listInstanceProfiles().instanceProfiles().size());

		List<String> last = new AccountRoles(config().with(APP_NAME, "Other"), aws).destroy();
		assertTrue(last.containsAll(List.of("role OtherTaskRole: deleted", "role ParascopeSpotFleetRole: deleted",
			"role ParascopeEcsInstanceRole: deleted")), last::toString);
		assertEquals(Set.of(), roleNames());
	}

	@Test
	void warnsAboutAnExistingTaskRoleBroaderThanParascopes() {
		// As filed: a hand-made task role with s3:* on * was kept without a word.
		aws.iam().createRole(b -> b.roleName("CellsTaskRole").assumeRolePolicyDocument(trustOf("ecs-tasks.amazonaws.com")));
		aws.iam().putRolePolicy(b -> b.roleName("CellsTaskRole").policyName("handmade").policyDocument(
			"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"));

		List<String> lines = create(config());

		assertTrue(lines.get(3).startsWith("role CellsTaskRole: exists, not created by Parascope: left as is"), lines.get(3));
		assertTrue(lines.get(3).endsWith("; WARNING: it allows s3:* on * (policy handmade), more than Parascope's"
			+ " ecs-tasks.amazonaws.com role needs (docs/security.md): narrow it, or delete it and run init-account again"),
			lines.get(3));
	}

	@Test
	void withoutABucketNothingIsCreated() {
		var e = assertThrows(ParascopeException.class, () -> create(Config.defaults()));
		assertTrue(e.getMessage().startsWith("no bucket is set: set AWS_BUCKET"), e.getMessage());
		e = assertThrows(ParascopeException.class, () -> create(config().with(SOURCE_BUCKET, "s3://cells-images")));
		assertTrue(e.getMessage().startsWith("SOURCE_BUCKET: 's3://cells-images' is not accepted by AWS"), e.getMessage());
		assertEquals(Set.of(), roleNames());
	}

	private Set<String> roleNames() {
		Set<String> names = new TreeSet<>();
		aws.iam().listRoles().roles().forEach(r -> names.add(r.roleName()));
		return names;
	}

	private JsonNode trust(String role) throws Exception {
		return JSON.readTree(URLDecoder.decode(aws.iam().getRole(b -> b.roleName(role)).role().assumeRolePolicyDocument(),
			StandardCharsets.UTF_8));
	}

	private String trustedService(String role) throws Exception {
		JsonNode statement = trust(role).get("Statement").get(0);
		assertEquals("sts:AssumeRole", statement.get("Action").asText());
		return statement.at("/Principal/Service").asText();
	}

	private List<String> managedPolicies(String role) {
		return aws.iam().listAttachedRolePolicies(b -> b.roleName(role)).attachedPolicies().stream()
			.map(AttachedPolicy::policyArn).toList();
	}

	private JsonNode workerPolicy(String role) throws Exception {
		return JSON.readTree(URLDecoder.decode(aws.iam().getRolePolicy(b -> b.roleName(role).policyName("ParascopeWorker"))
			.policyDocument(), StandardCharsets.UTF_8));
	}

	private static String trustOf(String service) {
		return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"" + service
			+ "\"},\"Action\":\"sts:AssumeRole\"}]}";
	}

	/** Roles with their trust, policies and tags, and instance profiles with their roles. */
	private String state() {
		List<String> s = new ArrayList<>();
		for (Role r : aws.iam().listRoles().roles()) {
			s.add(r.roleName() + " " + r.createDate() + " " + r.assumeRolePolicyDocument() + " " + managedPolicies(r.roleName())
				+ " " + aws.iam().listRoleTags(b -> b.roleName(r.roleName())).tags());
			for (String p : aws.iam().listRolePolicies(b -> b.roleName(r.roleName())).policyNames()) {
				s.add(p + " " + aws.iam().getRolePolicy(b -> b.roleName(r.roleName()).policyName(p)).policyDocument());
			}
		}
		aws.iam().listInstanceProfiles().instanceProfiles().forEach(p -> s.add(p.instanceProfileName() + " "
			+ p.roles().stream().map(Role::roleName).toList()));
		return String.join("\n", s);
	}
}
