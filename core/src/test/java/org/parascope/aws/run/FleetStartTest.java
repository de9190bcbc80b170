package org.parascope.aws.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.parascope.Parascope;
import org.parascope.ParascopeException;
import org.parascope.aws.FleetFixture;
import org.parascope.aws.MotoServer;
import org.parascope.aws.Names;
import org.parascope.aws.fleet.AwsFleet;
import org.parascope.aws.fleet.FleetFileTest;
import org.parascope.aws.fleet.FleetKind;
import org.parascope.config.ConfigKey;
import org.parascope.fleet.FleetState;
import org.parascope.run.FleetStarted;
import org.parascope.run.RunKeys;
import org.parascope.run.RunState;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import software.amazon.awssdk.services.ec2.model.FleetData;
import software.amazon.awssdk.services.ec2.model.FleetLaunchTemplateOverrides;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateHttpTokensState;
import software.amazon.awssdk.services.ec2.model.ResponseLaunchTemplateData;
import software.amazon.awssdk.services.ec2.model.SpotFleetRequestConfigData;

/**
 * start-fleet against the emulator: what it requests (read back with Describe* calls), the state
 * file it writes, and that a refused or failed start leaves no fleet, launch template, dashboard,
 * state file or scaled service behind.
 */
@ExtendWith(MotoServer.class)
class FleetStartTest {

	private static final Duration WAIT = Duration.ofMinutes(1);

	@TempDir
	Path dir;

	private FleetFixture fixture;
	private final List<String> said = new ArrayList<>();

	@AfterEach
	void close() {
		if (fixture != null) fixture.close();
	}

	/** Through the facade, which shares the fixture's clients (the fixture closes them). */
	private FleetStarted start(Path fleetFile) {
		return new Parascope(fixture.config, fixture.aws).startFleet(fleetFile, dir, WAIT, said::add);
	}

	@Test
	void aDcpFleetFileStartsASpotFleetAsTheConfigSays() throws Exception {
		fixture = new FleetFixture(Map.of(ConfigKey.MACHINE_TYPE, List.of("m5.xlarge", "c5.xlarge"),
			ConfigKey.MACHINE_PRICE, 0.25, ConfigKey.EBS_VOL_SIZE, 40, ConfigKey.TASKS_PER_MACHINE, 2,
			ConfigKey.CREATE_DASHBOARD, true)).withAccount().withService();
		FleetStarted result = start(fixture.fleetFile(dir, fixture.dcpFleetJson()));

		assertEquals(FleetKind.SPOT_FLEET.key(), result.kind().key());
		assertEquals(new FleetState(2, 2), result.state());
		var requests = fixture.aws.ec2().describeSpotFleetRequests(r -> r.spotFleetRequestIds(result.fleetId()))
			.spotFleetRequestConfigs();
		SpotFleetRequestConfigData request = requests.get(0).spotFleetRequestConfig();
		assertEquals(2, request.targetCapacity());
		assertEquals("0.25", request.spotPrice());
		assertEquals(FleetFixture.FLEET_ROLE, request.iamFleetRole());
		// The emulator shows a launch template config as the launch specification of its first override.
		assertEquals("m5.xlarge", request.launchSpecifications().get(0).instanceTypeAsString());
		assertEquals(4, fixture.serviceDesiredCount(), "CLUSTER_MACHINES x TASKS_PER_MACHINE containers");

		ResponseLaunchTemplateData template = onlyTemplate();
		assertEquals(LaunchTemplateHttpTokensState.REQUIRED, template.metadataOptions().httpTokens());
		assertEquals("enabled", template.metadataOptions().httpEndpointAsString());
		assertEquals(fixture.image, template.imageId());
		assertEquals(FleetFixture.PROFILE, template.iamInstanceProfile().arn());
		assertEquals(40, template.blockDeviceMappings().get(1).ebs().volumeSize());
		assertTrue(userData(template).contains("\nECS_CLUSTER=workers\n"), userData(template));

		JsonNode state = new JsonMapper().readTree(dir.resolve("files/FleetySpotFleetRequestId.json").toFile());
		assertEquals(result.fleetId(), state.get("MONITOR_FLEET_ID").asText());
		assertEquals("Fleety", state.get("MONITOR_APP_NAME").asText());
		assertEquals("workers", state.get("MONITOR_ECS_CLUSTER").asText());
		assertEquals("FleetyQueue", state.get("MONITOR_QUEUE_NAME").asText());
		assertEquals("fleety-bucket", state.get("MONITOR_BUCKET_NAME").asText());
		assertEquals("Fleety", state.get("MONITOR_LOG_GROUP_NAME").asText());
		assertTrue(state.get("MONITOR_START_TIME").asLong() > 1_600_000_000_000L, "epoch milliseconds");
		assertEquals("True", state.get("CLEAN_DASHBOARD").asText());
		assertEquals("spot-fleet", state.get(RunKeys.FLEET_KIND).asText());
		assertEquals("us-east-1", state.get(RunKeys.AWS_REGION).asText());
		assertEquals(onlyTemplateId(), state.get(RunKeys.LAUNCH_TEMPLATE_ID).asText());
		assertEquals("FleetyService", state.get(RunKeys.ECS_SERVICE).asText());
		assertEquals("FleetyTask", state.get(RunKeys.TASK_FAMILY).asText());
		assertEquals("FleetyDeadMessages", state.get(RunKeys.SQS_DEAD_LETTER_QUEUE).asText());
		assertEquals("Fleety_perInstance", state.get(RunKeys.INSTANCE_LOG_GROUP).asText());
		assertEquals("m5.xlarge,c5.xlarge", state.get(RunKeys.MACHINE_TYPES).asText());
		assertEquals("0.25", state.get(RunKeys.MACHINE_PRICE).asText());
		assertEquals("2", state.get(RunKeys.TASKS_PER_MACHINE).asText());
		assertEquals("Fleety", state.get(RunKeys.DASHBOARD).asText());
		assertEquals(result.fleetId(), RunState.read(result.stateFile()).fleetId(), "the monitor reads it back");

		String dashboard = fixture.aws.cloudWatch().getDashboard(r -> r.dashboardName("Fleety")).dashboardBody();
		assertTrue(dashboard.contains("\"FleetyQueue\"") && dashboard.contains(result.fleetId())
			&& dashboard.contains("Fleety_perInstance"), dashboard);
		assertTrue(said.get(0).startsWith("Requested Spot Fleet " + result.fleetId() + ": 2 machines (m5.xlarge, c5.xlarge)"),
			said.toString());

		// The safety net: every machine has DCP's idle alarm (run-worker.sh: 15 one-minute periods of
		// maximum CPU below 1 %). The request's expiry is checked as built (FleetFileTest): the emulator
		// does not return a Spot Fleet's TerminateInstancesWithExpiration.
		assertTrue(said.contains("Idle alarms on 2 machines: each terminates its machine after 15 minutes below 1.0 % CPU."),
			said.toString());
		List<String> machines = fixture.aws.ec2().describeSpotFleetInstances(r -> r.spotFleetRequestId(result.fleetId()))
			.activeInstances().stream().map(i -> i.instanceId()).toList();
		var alarms = fixture.aws.cloudWatch().describeAlarms(r -> r.alarmNamePrefix("Fleety_")).metricAlarms();
		assertEquals(machines.stream().map(m -> "Fleety_" + m).sorted().toList(),
			alarms.stream().map(a -> a.alarmName()).sorted().toList());
		for (var alarm : alarms) {
			assertEquals(List.of("arn:aws:automate:us-east-1:ec2:terminate"), alarm.alarmActions());
			assertEquals("AWS/EC2", alarm.namespace());
			assertEquals("CPUUtilization", alarm.metricName());
			assertEquals("Maximum", alarm.statisticAsString());
			assertEquals(60, alarm.period());
			assertEquals(15, alarm.evaluationPeriods());
			assertEquals(1.0, alarm.threshold());
			assertEquals("LessThanThreshold", alarm.comparisonOperatorAsString());
			assertEquals("InstanceId", alarm.dimensions().get(0).name());
			assertTrue(machines.contains(alarm.dimensions().get(0).value()));
		}
	}

	@Test
	void withoutAFileAnEc2FleetIsBuiltFromTheConfig() throws Exception {
		fixture = new FleetFixture(Map.of(ConfigKey.MACHINE_TYPE, List.of("m5.xlarge", "c5.xlarge"),
			ConfigKey.EBS_VOL_SIZE, 50)).withAccount().withService();
		FleetStarted result = start(null);

		assertEquals(FleetKind.EC2_FLEET.key(), result.kind().key());
		assertTrue(result.fleetId().startsWith("fleet-"), result.fleetId());
		assertEquals(new FleetState(2, 2), result.state());
		FleetData fleet = fixture.aws.ec2().describeFleets(r -> r.fleetIds(result.fleetId())).fleets().get(0);
		assertEquals("maintain", fleet.typeAsString());
		assertEquals("spot", fleet.targetCapacitySpecification().defaultTargetCapacityTypeAsString());
		assertEquals(2, fleet.targetCapacitySpecification().totalTargetCapacity());
		List<FleetLaunchTemplateOverrides> overrides = fleet.launchTemplateConfigs().get(0).overrides();
		Set<String> pairs = new HashSet<>();
		overrides.forEach(o -> pairs.add(o.instanceTypeAsString() + " " + o.subnetId()));
		assertEquals(2 * fixture.subnets.size(), pairs.size(), "every type in every subnet of the default VPC: " + pairs);
		assertTrue(fixture.subnets.stream().allMatch(s -> pairs.contains("c5.xlarge " + s)), pairs.toString());
		assertTrue(overrides.stream().allMatch(o -> "0.2".equals(o.maxPrice())), "MACHINE_PRICE's default");

		ResponseLaunchTemplateData template = onlyTemplate();
		assertEquals(LaunchTemplateHttpTokensState.REQUIRED, template.metadataOptions().httpTokens());
		assertEquals(fixture.image, template.imageId(), "the ECS-optimized image of the SSM parameter");
		assertTrue(template.iamInstanceProfile().arn().endsWith(":instance-profile/" + Names.INSTANCE_PROFILE));
		assertEquals(List.of(fixture.group), template.networkInterfaces().get(0).groups());
		assertEquals("/dev/xvda", template.blockDeviceMappings().get(0).deviceName());
		assertEquals(50, template.blockDeviceMappings().get(0).ebs().volumeSize());
		assertTrue(userData(template).contains("\nECS_CLUSTER=workers\n"));
		assertEquals("ec2-fleet", RunState.read(result.stateFile()).extra().get(RunKeys.FLEET_KIND));
		assertTrue(fleet.terminateInstancesWithExpiration());
		assertEquals(Duration.ofHours(48), Duration.between(fleet.validFrom(), fleet.validUntil()));
		assertEquals(2, fixture.aws.cloudWatch().describeAlarms(r -> r.alarmNamePrefix("Fleety_i-")).metricAlarms().size());
	}

	@Test
	void dcpsTemplateUnchangedIsRefusedNamingEachPlaceholderAndNothingIsCreated() throws Exception {
		fixture = new FleetFixture(Map.of()).withAccount().withService();
		Path file = fixture.fleetFile(dir, FleetFileTest.DCP_EXAMPLE);
		String message = assertThrows(ParascopeException.class, () -> start(file)).getMessage();
		for (String problem : List.of(
			file + ": LaunchSpecifications[0].ImageId: image ami-fad25980 does not exist in us-east-1",
			file + ": LaunchSpecifications[0].KeyName: key pair your_key_file_name does not exist in us-east-1",
			file + ": LaunchSpecifications[0].NetworkInterfaces[0].SubnetId: subnet subnet-WWWWWWWW does not exist",
			file + ": LaunchSpecifications[0].NetworkInterfaces[0].Groups[0]: security group sg-ZZZZZZZZZ does not exist",
			file + ": LaunchSpecifications[0].IamInstanceProfile.Arn: arn:aws:iam::XXXXXXXXXXXX:instance-profile/ecsInstanceRole "
				+ "names account 'XXXXXXXXXXXX', but the credentials are of account 123456789012",
			file + ": IamFleetRole: arn:aws:iam::XXXXXXXXXXXXX:role/aws-ec2-spot-fleet-role names account")) {
			assertTrue(message.contains(problem), "missing '" + problem + "' in:\n" + message);
		}
		assertNothingLeft();
	}

	@Test
	void anUnknownInstanceTypeIsRefusedAndNothingIsCreated() throws Exception {
		fixture = new FleetFixture(Map.of(ConfigKey.MACHINE_TYPE, List.of("m5.xlarge", "m5.huge"))).withAccount().withService();
		Path file = fixture.fleetFile(dir, fixture.dcpFleetJson());
		String message = assertThrows(ParascopeException.class, () -> start(file)).getMessage();
		assertEquals("MACHINE_TYPE: m5.huge is not an EC2 instance type offered in us-east-1 (see 'aws ec2 "
			+ "describe-instance-type-offerings')", message);
		assertThrows(ParascopeException.class, () -> start(null));
		assertNothingLeft();
	}

	@Test
	void aBrokenFleetFileIsRefusedAndNothingIsCreated() throws Exception {
		fixture = new FleetFixture(Map.of()).withAccount().withService();
		Path file = fixture.fleetFile(dir, fixture.dcpFleetJson().replace("\"IamInstanceProfile\": { \"Arn\"", "\"IamInstanceProfile\": { \"Id\""));
		String message = assertThrows(ParascopeException.class, () -> start(file)).getMessage();
		assertEquals(file + ": LaunchSpecifications[0].IamInstanceProfile: expected Arn (or Name) of the instance profile, "
			+ "e.g. ecsInstanceRole's", message);
		assertNothingLeft();
	}

	@Test
	void withoutInitAccountOrSetupNothingStartsAndTheMessageSaysWhatToRun() throws Exception {
		fixture = new FleetFixture(Map.of()).withService();
		String message = assertThrows(ParascopeException.class, () -> start(null)).getMessage();
		assertTrue(message.startsWith("IAM instance profile " + Names.INSTANCE_PROFILE + " not found: run 'parascope init-account'"), message);
		fixture.withAccount();
		fixture.aws.ecs().deleteService(r -> r.cluster("workers").service("FleetyService").force(true));
		message = assertThrows(ParascopeException.class, () -> start(null)).getMessage();
		assertEquals("ECS service FleetyService not found in cluster workers: run 'parascope setup' first", message);
		assertNothingLeft();
	}

	@Test
	void aFailureAfterTheRequestCancelsTheFleetAndUndoesEveryStep() throws Exception {
		fixture = new FleetFixture(Map.of(ConfigKey.CREATE_DASHBOARD, true)).withAccount().withService();
		// A file where the state file's folder should be: writing the state file fails after the request.
		Files.writeString(dir.resolve("files"), "not a folder");
		String message = assertThrows(ParascopeException.class, () -> start(fixture.fleetFile(dir, fixture.dcpFleetJson())))
			.getMessage();
		assertTrue(message.contains("cannot write the monitor file")
			&& message.endsWith("The fleet was cancelled and everything start-fleet created was removed."), message);
		assertNothingLeft();
		assertEquals(0, fixture.aws.cloudWatch().listDashboards().dashboardEntries().size());
		assertEquals(0, fixture.aws.ec2().describeInstances().reservations().stream().flatMap(r -> r.instances().stream())
			.filter(i -> !"terminated".equals(i.state().nameAsString())).count(), "every machine terminated");
	}

	@Test
	void aSecondStartWhileTheFirstFleetRunsIsRefused() throws Exception {
		fixture = new FleetFixture(Map.of()).withAccount().withService();
		Path file = fixture.fleetFile(dir, fixture.dcpFleetJson());
		FleetStarted first = start(file);
		String message = assertThrows(ParascopeException.class, () -> start(null)).getMessage();
		assertTrue(message.startsWith(first.stateFile() + ": the fleet of an earlier start-fleet, " + first.fleetId()
			+ ", is still running (2 machines)"), message);
		assertEquals(1, fixture.aws.ec2().describeSpotFleetRequests().spotFleetRequestConfigs().size());
		assertEquals(0, fixture.aws.ec2().describeFleets().fleets().size());

		AwsFleet.open(fixture.aws, RunState.read(first.stateFile())).stop();
		assertEquals(FleetKind.EC2_FLEET.key(), start(null).kind().key(), "once the first fleet is gone, a new one starts");
	}

	/** No fleet of either kind, no launch template, no state file, and the service still at 0. */
	private void assertNothingLeft() {
		assertEquals(0, fixture.aws.ec2().describeSpotFleetRequests().spotFleetRequestConfigs().size());
		assertTrue(fixture.aws.ec2().describeFleets().fleets().stream().allMatch(f -> f.fleetStateAsString().startsWith("deleted")));
		assertEquals(0, fixture.aws.ec2().describeLaunchTemplates().launchTemplates().size());
		assertFalse(Files.exists(dir.resolve("files/FleetySpotFleetRequestId.json")));
		if (!fixture.aws.ecs().describeServices(r -> r.cluster("workers").services("FleetyService")).services().isEmpty()) {
			assertEquals(0, fixture.serviceDesiredCount());
		}
	}

	private String onlyTemplateId() {
		var templates = fixture.aws.ec2().describeLaunchTemplates().launchTemplates();
		assertEquals(1, templates.size());
		assertTrue(templates.get(0).launchTemplateName().startsWith("FleetyLaunchTemplate-"), templates.get(0).launchTemplateName());
		return templates.get(0).launchTemplateId();
	}

	private ResponseLaunchTemplateData onlyTemplate() {
		String id = onlyTemplateId();
		return fixture.aws.ec2().describeLaunchTemplateVersions(r -> r.launchTemplateId(id)).launchTemplateVersions().get(0)
			.launchTemplateData();
	}

	private static String userData(ResponseLaunchTemplateData template) {
		return new String(Base64.getDecoder().decode(template.userData()), StandardCharsets.UTF_8);
	}
}
