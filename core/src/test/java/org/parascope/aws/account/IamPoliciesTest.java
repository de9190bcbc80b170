package org.parascope.aws.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.parascope.Ticker;
import org.parascope.aws.AwsClients;
import org.parascope.aws.MotoServer;
import org.parascope.aws.TeardownPlan;
import org.parascope.aws.ecs.MonitorPolicy;
import org.parascope.aws.ecs.MonitorService;
import org.parascope.aws.ecs.MonitorTask;
import org.parascope.config.Config;
import org.parascope.run.RunState;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import software.amazon.awssdk.services.iam.model.Role;

/**
 * Every IAM policy Parascope creates (init-account's roles, the detached monitor's role), read back from
 * the emulator's IAM: none may change or delete anything beyond its app (docs/security.md). The emulator
 * stores policies without enforcing them; what AWS enforces of them is AWS's documented behaviour.
 */
@ExtendWith(MotoServer.class)
class IamPoliciesTest {

	private static final JsonMapper JSON = new JsonMapper();
	/** The one grant on "*" AWS leaves no choice about: ecs:DeregisterTaskDefinition has no resource-level permission. */
	private static final List<String> FORCED_BY_AWS = List.of("ecs:DeregisterTaskDefinition on *");

	private final AwsClients aws = new AwsClients(AccountRolesTest.config(), null, MotoServer.env());

	@AfterEach
	void close() {
		aws.close();
	}

	@Test
	void noPolicyParascopeCreatesMayChangeOrDeleteBeyondItsApp() throws Exception {
		Config config = AccountRolesTest.config();
		new AccountRoles(config, aws).create();
		new MonitorTask(aws, config, Ticker.SYSTEM).role(TeardownPlan.of(config, Optional.empty()));
		String account = aws.sts().getCallerIdentity().account();

		Map<String, List<String>> broad = new LinkedHashMap<>();
		List<String> roles = new ArrayList<>();
		for (Role role : aws.iam().listRoles().roles()) {
			String name = role.roleName();
			roles.add(name);
			for (String policy : aws.iam().listRolePolicies(b -> b.roleName(name)).policyNames()) {
				JsonNode document = parse(aws.iam().getRolePolicy(b -> b.roleName(name).policyName(policy)).policyDocument());
				List<String> grants = PolicyScope.broadGrants(document);
				if (!grants.isEmpty()) broad.put(name + "/" + policy, grants);
			}
			JsonNode trust = parse(role.assumeRolePolicyDocument()).get("Statement").get(0);
			if (trust.at("/Principal/Service").asText().equals("ecs-tasks.amazonaws.com")) {
				assertEquals(account, trust.at("/Condition/StringEquals/aws:SourceAccount").asText(), name + ": " + trust);
			}
		}

		assertEquals(java.util.Set.of("ParascopeEcsInstanceRole", "ParascopeSpotFleetRole", "CellsTaskRole", "CellsMonitorRole"),
			java.util.Set.copyOf(roles));
		assertEquals(Map.of("CellsMonitorRole/" + MonitorTask.POLICY, FORCED_BY_AWS), broad);
	}

	@Test
	void theMonitorPolicyAsFiledWouldFailTheCheck() throws Exception {
		// The policy issue 13 found on ParascopeMonitorRole: the check above must catch what it granted.
		JsonNode filed = JSON.readTree("""
			{"Version": "2012-10-17", "Statement": [
			  {"Effect": "Allow", "Action": ["sqs:GetQueueUrl", "sqs:DeleteQueue"], "Resource": "*"},
			  {"Effect": "Allow", "Action": ["ec2:DescribeInstances", "ec2:TerminateInstances"], "Resource": "*"},
			  {"Effect": "Allow", "Action": "ecs:*", "Resource": "arn:aws:ecs:us-east-1:123456789012:cluster/App"}]}""");

		assertEquals(List.of("sqs:DeleteQueue on *", "ec2:TerminateInstances on *",
			"ecs:* on arn:aws:ecs:us-east-1:123456789012:cluster/App"), PolicyScope.broadGrants(filed));
	}

	@Test
	void theMonitorReachesTheFleetOnlyThroughItsAppTag() throws Exception {
		Config config = AccountRolesTest.config();
		JsonNode policy = MonitorPolicy.document("aws", "us-east-1", "123456789012", TeardownPlan.of(config, Optional.empty()));
		JsonNode fleet = null;
		for (JsonNode s : policy.get("Statement")) if (s.get("Sid").asText().equals("ShrinkAndStopTheAppsFleet")) fleet = s;
		assertEquals("Cells", fleet.at("/Condition/StringEquals/aws:ResourceTag~1parascope:app").asText(), fleet.toString());
		assertTrue(policy.toString().contains("\"arn:aws:sqs:us-east-1:123456789012:CellsQueue\""), policy.toString());
		assertTrue(policy.toString().contains("\"arn:aws:cloudwatch:us-east-1:123456789012:alarm:Cells_i-*\""), policy.toString());
	}

	@Test
	void theMonitorMayDeleteOnlyTheAppsServiceAndItsOwnMonitorServices() throws Exception {
		Config config = AccountRolesTest.config();
		RunState state = new RunState("sfr-0123456789abcdef0", "Cells", "CellsCluster", "CellsQueue", "results", "Cells",
			java.time.Instant.now(), true, Map.of());
		JsonNode policy = MonitorPolicy.document("aws", "us-east-1", "123456789012", TeardownPlan.of(config, Optional.of(state)));

		List<String> deletable = new ArrayList<>();
		for (JsonNode s : policy.get("Statement")) {
			boolean deletes = false;
			for (JsonNode action : s.get("Action")) deletes |= action.asText().equals("ecs:DeleteService") || action.asText().equals("ecs:*");
			if (deletes) s.get("Resource").forEach(r -> deletable.add(r.asText()));
		}

		String services = "arn:aws:ecs:us-east-1:123456789012:service/";
		assertEquals(List.of(services + "CellsCluster/CellsService", services + "default/CellsMonitor-sfr-*",
			services + "default/CellsMonitor-fleet-*"), deletable);
		// What those patterns reach: its own monitor service, never another app's nor another service.
		assertTrue(reaches(deletable, services + "default/" + MonitorService.name("Cells", state.fleetId())));
		for (String other : List.of("default/Cells2Monitor-sfr-0123456789abcdef0", "default/CellsService", "default/Other",
			"CellsCluster/CellsMonitor-sfr-0123456789abcdef0")) {
			assertFalse(reaches(deletable, services + other), other);
		}
	}

	/** IAM's matching of a resource pattern: '*' is any run of characters, '?' any one. */
	private static boolean reaches(List<String> patterns, String arn) {
		return patterns.stream().anyMatch(p -> arn.matches(java.util.regex.Pattern.quote(p).replace("*", "\\E.*\\Q")
			.replace("?", "\\E.\\Q")));
	}

	/**
	 * The report the monitor makes at the teardown prices the machines it recorded: the two EC2 reads it needs
	 * exist only on "*" (they read price lists and type descriptions, nothing of the account), and in the
	 * bucket it reads and writes the run's records and nothing else of the app's folder or of other apps.
	 */
	@Test
	void theMonitorPricesMachinesAndWritesOnlyItsRunsRecords() throws Exception {
		JsonNode policy = MonitorPolicy.document("aws", "us-east-1", "123456789012",
			TeardownPlan.of(AccountRolesTest.config(), Optional.empty()));
		Map<String, JsonNode> bySid = new LinkedHashMap<>();
		for (JsonNode s : policy.get("Statement")) bySid.put(s.get("Sid").asText(), s);
		JsonNode pricing = bySid.get("PriceTheMachines");
		assertEquals("[\"ec2:DescribeSpotPriceHistory\",\"ec2:DescribeInstanceTypes\"]", pricing.get("Action").toString());
		assertEquals("[\"*\"]", pricing.get("Resource").toString());
		JsonNode records = bySid.get("ReadWriteTheRunsRecords");
		assertEquals("[\"s3:GetObject\",\"s3:PutObject\"]", records.get("Action").toString());
		assertEquals("[\"arn:aws:s3:::cells-logs/parascope/runs/Cells/*\"]", records.get("Resource").toString());
		assertEquals(List.of(), PolicyScope.broadGrants(policy).stream().filter(g -> !FORCED_BY_AWS.contains(g)).toList());
		// No s3 grant reaches another app's records, or the whole bucket.
		for (JsonNode s : policy.get("Statement")) {
			for (JsonNode r : s.get("Resource")) {
				String resource = r.asText();
				if (!resource.startsWith("arn:aws:s3:::")) continue;
				assertTrue(resource.equals("arn:aws:s3:::cells-logs") && s.get("Action").toString().equals("[\"s3:ListBucket\"]")
					|| resource.startsWith("arn:aws:s3:::cells-logs/") && !resource.equals("arn:aws:s3:::cells-logs/*")
						&& !resource.equals("arn:aws:s3:::cells-logs/parascope/runs/*"), s.toString());
			}
		}
	}

	private static JsonNode parse(String document) throws Exception {
		return JSON.readTree(URLDecoder.decode(document, StandardCharsets.UTF_8));
	}
}
