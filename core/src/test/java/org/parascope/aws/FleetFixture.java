package org.parascope.aws;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.parascope.aws.fleet.ConfigMachines;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;

import software.amazon.awssdk.services.ec2.model.Subnet;

/**
 * What start-fleet needs in the emulator, made the way init-account and setup make it: the instance
 * profile init-account creates, the Spot Fleet role, the ECS cluster and service; and a DCP-format fleet
 * file naming the emulator's default VPC, image and roles.
 */
public final class FleetFixture implements AutoCloseable {

	static final String ACCOUNT = "123456789012";
	public static final String FLEET_ROLE = "arn:aws:iam::" + ACCOUNT + ":role/aws-ec2-spot-fleet-role";
	public static final String PROFILE = "arn:aws:iam::" + ACCOUNT + ":instance-profile/" + Names.INSTANCE_PROFILE;

	private static String ecsImage;

	public final AwsClients aws;
	public final Config config;
	public final String image;
	public final List<String> subnets;
	public final String group;

	/** @param settings config values beyond the fixture's own (APP_NAME Fleety, cluster workers, a bucket) */
	public FleetFixture(Map<ConfigKey, Object> settings) {
		Config c = Config.defaults().with(ConfigKey.APP_NAME, "Fleety").with(ConfigKey.ECS_CLUSTER, "workers")
			.with(ConfigKey.AWS_BUCKET, "fleety-bucket").with(ConfigKey.CLUSTER_MACHINES, 2)
			.with(ConfigKey.CREATE_DASHBOARD, false);
		for (var e : settings.entrySet()) c = c.with(e.getKey(), e.getValue());
		this.config = c;
		this.aws = new AwsClients(config, null, MotoServer.env());
		this.image = ecsImage(aws);
		String vpc = aws.ec2().describeVpcs(r -> r.filters(f -> f.name("isDefault").values("true"))).vpcs().get(0).vpcId();
		this.subnets = aws.ec2().describeSubnets(r -> r.filters(f -> f.name("vpc-id").values(vpc))).subnets().stream()
			.map(Subnet::subnetId).toList();
		this.group = aws.ec2().describeSecurityGroups(r -> r.filters(f -> f.name("vpc-id").values(vpc),
			f -> f.name("group-name").values("default"))).securityGroups().get(0).groupId();
	}

	/**
	 * The emulator serves AWS's public SSM parameters, the ECS-optimized image among them. Its first
	 * reads after a reset take seconds, and the image is the same after every reset: read once.
	 */
	private static synchronized String ecsImage(AwsClients aws) {
		if (ecsImage == null) {
			ecsImage = aws.ssm().getParameter(r -> r.name(ConfigMachines.imageParameter("x86_64"))).parameter().value();
		}
		return ecsImage;
	}

	/** The roles init-account creates. */
	public FleetFixture withAccount() {
		String trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
			+ "\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
		aws.iam().createRole(r -> r.roleName(Names.INSTANCE_ROLE).assumeRolePolicyDocument(trust));
		aws.iam().createInstanceProfile(r -> r.instanceProfileName(Names.INSTANCE_PROFILE));
		aws.iam().addRoleToInstanceProfile(r -> r.instanceProfileName(Names.INSTANCE_PROFILE).roleName(Names.INSTANCE_ROLE));
		aws.iam().createRole(r -> r.roleName("aws-ec2-spot-fleet-role").assumeRolePolicyDocument(trust));
		return this;
	}

	/** The cluster and the service at 0 that setup creates. */
	public FleetFixture withService() {
		aws.ecs().createCluster(r -> r.clusterName("workers"));
		aws.ecs().registerTaskDefinition(r -> r.family("FleetyTask")
			.containerDefinitions(d -> d.name("worker").image("worker:latest").memory(1000)));
		aws.ecs().createService(r -> r.cluster("workers").serviceName("FleetyService").taskDefinition("FleetyTask")
			.desiredCount(0));
		return this;
	}

	public int serviceDesiredCount() {
		return aws.ecs().describeServices(r -> r.cluster("workers").services("FleetyService")).services().get(0)
			.desiredCount();
	}

	/** DCP's example fleet file (files/exampleFleet_us-east-1.json), filled with the emulator's ids. */
	public String dcpFleetJson() {
		return """
			{
			  "IamFleetRole": "%s",
			  "AllocationStrategy": "lowestPrice",
			  "TerminateInstancesWithExpiration": true,
			  "LaunchSpecifications": [
			    {
			      "ImageId": "%s",
			      "IamInstanceProfile": { "Arn": "%s" },
			      "BlockDeviceMappings": [
			        { "DeviceName": "/dev/xvda",
			          "Ebs": { "DeleteOnTermination": true, "VolumeType": "gp2", "VolumeSize": 8 } },
			        { "DeviceName": "/dev/xvdcz",
			          "Ebs": { "DeleteOnTermination": true, "VolumeType": "gp2" } }
			      ],
			      "NetworkInterfaces": [
			        { "DeviceIndex": 0, "SubnetId": "%s", "DeleteOnTermination": true,
			          "AssociatePublicIpAddress": true, "Groups": [ "%s" ] }
			      ]
			    }
			  ],
			  "Type": "maintain"
			}
			""".formatted(FLEET_ROLE, image, PROFILE, subnets.get(0), group);
	}

	public Path fleetFile(Path dir, String json) throws IOException {
		return Files.writeString(dir.resolve("exampleFleet.json"), json);
	}

	@Override
	public void close() {
		aws.close();
	}
}
