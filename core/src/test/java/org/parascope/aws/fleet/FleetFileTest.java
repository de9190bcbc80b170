package org.parascope.aws.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.parascope.ParascopeException;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.services.ec2.model.LaunchTemplateHttpTokensState;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateOverrides;
import software.amazon.awssdk.services.ec2.model.RequestLaunchTemplateData;
import software.amazon.awssdk.services.ec2.model.SpotFleetRequestConfigData;

/**
 * Reading DCP/DF fleet files: what the config fills in, and errors that name the file and JSON path.
 * The request is inspected as built, since the emulator keeps only the first override of a Spot
 * Fleet's launch template config (AwsFleetTest and FleetStartTest send it for real).
 */
public class FleetFileTest {

	/** DCP's files/exampleFleet_us-east-1.json as distributed, placeholders included. */
	public static final String DCP_EXAMPLE = """
		{
		  "IamFleetRole": "arn:aws:iam::XXXXXXXXXXXXX:role/aws-ec2-spot-fleet-role",
		  "AllocationStrategy": "lowestPrice",
		  "TerminateInstancesWithExpiration": true,
		  "LaunchSpecifications": [
		    {
		      "ImageId": "ami-fad25980",
		      "KeyName": "your_key_file_name",
		      "IamInstanceProfile": {
		        "Arn": "arn:aws:iam::XXXXXXXXXXXX:instance-profile/ecsInstanceRole"
		      },
		      "BlockDeviceMappings": [
		        {
		          "DeviceName": "/dev/xvda",
		          "Ebs": { "DeleteOnTermination": true, "VolumeType": "gp2", "VolumeSize": 8,
		            "SnapshotId": "snap-04007a196c0f3f398" }
		        },
		        {
		          "DeviceName": "/dev/xvdcz",
		          "Ebs": { "DeleteOnTermination": true, "VolumeType": "gp2" }
		        }
		      ],
		      "NetworkInterfaces": [
		        {
		          "DeviceIndex": 0,
		          "SubnetId": "subnet-WWWWWWWW",
		          "DeleteOnTermination": true,
		          "AssociatePublicIpAddress": true,
		          "Groups": [ "sg-ZZZZZZZZZ" ]
		        }
		      ]
		    }
		  ],
		  "Type": "maintain"
		}
		""";

	private static final JsonMapper JSON = new JsonMapper();

	@TempDir
	Path dir;

	private final Config config = Config.defaults().with(ConfigKey.APP_NAME, "Plates").with(ConfigKey.ECS_CLUSTER, "imaging")
		.with(ConfigKey.MACHINE_TYPE, List.of("m5.xlarge", "c5.2xlarge", "r5.xlarge")).with(ConfigKey.MACHINE_PRICE, 0.125)
		.with(ConfigKey.EBS_VOL_SIZE, 60);

	private FleetPlan.SpotFleet read(String json) throws Exception {
		return FleetFile.read(Files.writeString(dir.resolve("fleet.json"), json), config, w -> {});
	}

	private String error(String json) {
		return assertThrows(ParascopeException.class, () -> read(json)).getMessage();
	}

	@Test
	void dcpsExampleBecomesOneLaunchTemplateWithEveryMachineType() throws Exception {
		FleetPlan.SpotFleet plan = read(DCP_EXAMPLE);
		Instant now = Instant.parse("2025-01-01T00:00:00Z");
		SpotFleetRequestConfigData request = plan.config("lt-1", 7, now);

		assertEquals(7, request.targetCapacity());
		assertEquals("0.125", request.spotPrice());
		assertEquals("maintain", request.typeAsString());
		assertEquals("arn:aws:iam::XXXXXXXXXXXXX:role/aws-ec2-spot-fleet-role", request.iamFleetRole());
		assertEquals("lowestPrice", request.allocationStrategyAsString());
		assertEquals(now, request.validFrom());
		assertEquals(now.plus(Duration.ofHours(48)), request.validUntil(), "MAX_RUN_HOURS, not DCP's year");
		assertTrue(request.terminateInstancesWithExpiration());
		assertTrue(request.launchSpecifications().isEmpty());
		assertEquals(1, request.launchTemplateConfigs().size());
		assertEquals("lt-1", request.launchTemplateConfigs().get(0).launchTemplateSpecification().launchTemplateId());
		// DCP used one MACHINE_TYPE per launch specification and dropped the rest; every type is used here.
		assertEquals(List.of("m5.xlarge", "c5.2xlarge", "r5.xlarge"), request.launchTemplateConfigs().get(0).overrides()
			.stream().map(LaunchTemplateOverrides::instanceTypeAsString).toList());
		assertTrue(request.launchTemplateConfigs().get(0).overrides().stream()
			.allMatch(o -> "subnet-WWWWWWWW".equals(o.subnetId())));

		RequestLaunchTemplateData template = plan.machines().templateData();
		assertEquals("ami-fad25980", template.imageId());
		assertEquals("your_key_file_name", template.keyName());
		assertEquals("arn:aws:iam::XXXXXXXXXXXX:instance-profile/ecsInstanceRole", template.iamInstanceProfile().arn());
		assertEquals(LaunchTemplateHttpTokensState.REQUIRED, template.metadataOptions().httpTokens());
		assertEquals("enabled", template.metadataOptions().httpEndpointAsString());
		assertEquals(8, template.blockDeviceMappings().get(0).ebs().volumeSize(), "the root volume is the file's");
		assertEquals("snap-04007a196c0f3f398", template.blockDeviceMappings().get(0).ebs().snapshotId());
		assertEquals(60, template.blockDeviceMappings().get(1).ebs().volumeSize(), "the data volume is EBS_VOL_SIZE");
		assertEquals(List.of("sg-ZZZZZZZZZ"), template.networkInterfaces().get(0).groups());
		assertEquals(true, template.networkInterfaces().get(0).associatePublicIpAddress());
		String userData = new String(Base64.getDecoder().decode(template.userData()), StandardCharsets.UTF_8);
		assertTrue(userData.startsWith("#!/bin/bash\n") && userData.contains("/etc/ecs/ecs.config")
			&& userData.contains("\nECS_CLUSTER=imaging\n"), userData);
	}

	@Test
	void specificationsThatDifferOnlyInSubnetGiveOneOverridePerTypeAndSubnet() throws Exception {
		ObjectNode root = (ObjectNode) JSON.readTree(DCP_EXAMPLE);
		ArrayNode specs = (ArrayNode) root.get("LaunchSpecifications");
		ObjectNode second = specs.get(0).deepCopy();
		((ObjectNode) second.get("NetworkInterfaces").get(0)).put("SubnetId", "subnet-a, subnet-b");
		specs.add(second);
		FleetPlan.SpotFleet plan = read(root.toString());
		assertEquals(List.of("subnet-WWWWWWWW", "subnet-a", "subnet-b"), plan.machines().subnets());
		assertEquals(9, plan.config("lt-1", 1, Instant.now()).launchTemplateConfigs().get(0).overrides().size());

		second.put("ImageId", "ami-other");
		assertTrue(error(root.toString())
			.endsWith("fleet.json: LaunchSpecifications[1].ImageId: differs from LaunchSpecifications[0].ImageId: Parascope "
				+ "makes one launch template of the first specification and varies only the instance type (MACHINE_TYPE) "
				+ "and the subnet; put the other machines' settings in one specification"));
	}

	@Test
	void malformedJsonIsReportedWithItsLine() {
		String message = error(DCP_EXAMPLE.replace("\"Type\": \"maintain\"", "\"Type\": maintain"));
		assertTrue(message.startsWith(dir.resolve("fleet.json") + ": line 34, column"), message);
		assertTrue(message.contains("not valid JSON"), message);
	}

	@Test
	void missingAndWrongValuesAreNamedByTheirJsonPath() {
		assertTrue(error(DCP_EXAMPLE.replace("\"ImageId\": \"ami-fad25980\",", ""))
			.endsWith("fleet.json: LaunchSpecifications[0].ImageId: is missing"));
		assertTrue(error(DCP_EXAMPLE.replace("\"IamFleetRole\": \"arn:aws:iam::XXXXXXXXXXXXX:role/aws-ec2-spot-fleet-role\",", ""))
			.endsWith("fleet.json: IamFleetRole: is missing"));
		assertTrue(error(DCP_EXAMPLE.replace("\"DeviceName\": \"/dev/xvdcz\",\n          \"Ebs\": { \"DeleteOnTermination\": true, \"VolumeType\": \"gp2\" }",
			"\"DeviceName\": \"/dev/xvdcz\""))
			.endsWith("fleet.json: LaunchSpecifications[0].BlockDeviceMappings[1].Ebs: is missing: the data volume's size (EBS_VOL_SIZE) goes there"));
		assertTrue(error(DCP_EXAMPLE.replace("\"Groups\": [ \"sg-ZZZZZZZZZ\" ]", "\"Groups\": [ 42 ]"))
			.endsWith("fleet.json: LaunchSpecifications[0].NetworkInterfaces[0].Groups[0]: expected a security group id (sg-...)"));
		assertTrue(error(DCP_EXAMPLE.replace("\"LaunchSpecifications\": [", "\"LaunchSpecifications\": {\"x\": [").replace("  ],\n  \"Type\"", "  ]},\n  \"Type\""))
			.endsWith("fleet.json: LaunchSpecifications: expected a list [...], got an object"));
		assertTrue(error(DCP_EXAMPLE.replace("\"maintain\"", "\"instant\""))
			.contains("fleet.json: Type: expected 'maintain' (replace interrupted machines) or 'request', got 'instant'"));
		assertTrue(error("[1, 2]").contains("fleet.json: expected a JSON object"));
	}

	@Test
	void keysParascopeDoesNotUseAreWarnedAbout() throws Exception {
		List<String> warnings = new ArrayList<>();
		FleetFile.read(Files.writeString(dir.resolve("fleet.json"), DCP_EXAMPLE.replace("\"Type\": \"maintain\"",
			"\"Type\": \"maintain\", \"TargetCapacity\": 99, \"LoadBalancersConfig\": {}")), config, warnings::add);
		assertEquals(List.of(dir.resolve("fleet.json") + ": LoadBalancersConfig is ignored"), warnings);
	}

	@Test
	void aClusterNameThatIsNotOneIsRefused() {
		var e = assertThrows(ParascopeException.class, () -> FleetFile.read(
			Files.writeString(dir.resolve("fleet.json"), DCP_EXAMPLE), config.with(ConfigKey.ECS_CLUSTER, "a b; rm -rf /"),
			w -> {}));
		assertTrue(e.getMessage().startsWith("ECS_CLUSTER: 'a b; rm -rf /' is not a valid ECS cluster name"), e.getMessage());
	}
}
