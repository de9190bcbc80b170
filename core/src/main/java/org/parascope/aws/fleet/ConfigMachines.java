package org.parascope.aws.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.parascope.ParascopeException;
import org.parascope.aws.AwsClients;
import org.parascope.aws.AwsErrors;
import org.parascope.aws.Names;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateBlockDeviceMappingRequest;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.ec2.model.VolumeType;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * An EC2 Fleet described by the config alone, so that users need not look up image, snapshot,
 * subnet or security group ids: the current ECS-optimized Amazon Linux 2023 image (AWS's public SSM
 * parameter), every subnet of the default VPC (more zones, more spot capacity) with its 'default'
 * security group, and the instance profile init-account creates.
 */
public final class ConfigMachines {

	private static final String IMAGE_PARAMETER = "/aws/service/ecs/optimized-ami/amazon-linux-2023/%srecommended/image_id";

	private ConfigMachines() {}

	/** The SSM public parameter that names the recommended ECS-optimized image for an architecture. */
	public static String imageParameter(String architecture) {
		return IMAGE_PARAMETER.formatted(architecture.equals("arm64") ? "arm64/" : "");
	}

	public static FleetPlan.Ec2Fleet plan(AwsClients aws, Config config) {
		List<String> types = config.list(ConfigKey.MACHINE_TYPE);
		String architecture = architecture(FleetChecks.instanceTypes(aws, types));
		String parameter = imageParameter(architecture);
		Map<String, String> origins = new LinkedHashMap<>();
		types.forEach(t -> origins.putIfAbsent(t, "MACHINE_TYPE"));
		try {
			String imageId = aws.ssm().getParameter(r -> r.name(parameter)).parameter().value();
			origins.put(imageId, "the ECS-optimized image (SSM parameter " + parameter + ")");
			Ec2Client ec2 = aws.ec2();
			Vpc vpc = ec2.describeVpcs(r -> r.filters(f -> f.name("isDefault").values("true"))).vpcs().stream().findFirst()
				.orElseThrow(() -> new ParascopeException("there is no default VPC in " + aws.region() + " to start machines "
					+ "in: give a fleet file naming subnets and security groups (parascope start-fleet FLEET), or create "
					+ "the default VPC ('aws ec2 create-default-vpc')"));
			List<String> subnets = new ArrayList<>();
			ec2.describeSubnetsPaginator(r -> r.filters(f -> f.name("vpc-id").values(vpc.vpcId()))).subnets().stream()
				.sorted(Comparator.comparing(Subnet::availabilityZone)).forEach(s -> {
					subnets.add(s.subnetId());
					origins.put(s.subnetId(), "the default VPC " + vpc.vpcId());
				});
			if (subnets.isEmpty()) throw new ParascopeException("the default VPC " + vpc.vpcId() + " has no subnets");
			SecurityGroup group = ec2.describeSecurityGroups(r -> r.filters(f -> f.name("vpc-id").values(vpc.vpcId()),
				f -> f.name("group-name").values("default"))).securityGroups().stream().findFirst()
				.orElseThrow(() -> new ParascopeException("the default VPC " + vpc.vpcId() + " has no 'default' security group"));
			origins.put(group.groupId(), "the default VPC's security group 'default'");
			String profile = aws.iam().getInstanceProfile(r -> r.instanceProfileName(Names.INSTANCE_PROFILE)).instanceProfile().arn();
			origins.put(profile, "instance profile " + Names.INSTANCE_PROFILE);
			MachinePlan machines = new MachinePlan(config.string(ConfigKey.APP_NAME), imageId, profile, null,
				List.of(rootVolume(ec2, imageId, config.integer(ConfigKey.EBS_VOL_SIZE))), subnets, List.of(group.groupId()),
				config.bool(ConfigKey.ASSIGN_IP), types, FleetFile.price(config),
				UserData.joining(config.string(ConfigKey.ECS_CLUSTER)), origins);
			return new FleetPlan.Ec2Fleet(machines, Duration.ofHours(config.integer(ConfigKey.MAX_RUN_HOURS)));
		}
		catch (ParameterNotFoundException e) {
			throw new ParascopeException("SSM parameter " + parameter + " not found in " + aws.region()
				+ ": AWS publishes no ECS-optimized image there; use a fleet file naming an image (ImageId)");
		}
		catch (NoSuchEntityException e) {
			throw new ParascopeException("IAM instance profile " + Names.INSTANCE_PROFILE + " not found: run 'parascope "
				+ "init-account' once for this account (it creates the roles machines and workers need)");
		}
		catch (SdkException e) {
			throw AwsErrors.failure("describing the machines of the fleet", e);
		}
	}

	/** One architecture all MACHINE_TYPEs share: a fleet has one image. */
	private static String architecture(Map<String, Set<String>> types) {
		for (String candidate : List.of("x86_64", "arm64")) {
			if (types.values().stream().allMatch(s -> s.isEmpty() || s.contains(candidate))) return candidate;
		}
		throw new ParascopeException("MACHINE_TYPE: " + types + ": the types need different machine images (x86_64 "
			+ "and arm64); a fleet has one image, so choose types of one architecture");
	}

	/** The image's root volume, of EBS_VOL_SIZE GB: on ECS-optimized AL2023, Docker keeps its data there. */
	private static LaunchTemplateBlockDeviceMappingRequest rootVolume(Ec2Client ec2, String imageId, int size) {
		Image image = ec2.describeImages(r -> r.imageIds(imageId)).images().stream().findFirst()
			.orElseThrow(() -> new ParascopeException("the ECS-optimized image " + imageId + " is not available in this region"));
		String device = image.rootDeviceName() != null ? image.rootDeviceName() : "/dev/xvda";
		// Never smaller than the image's own root volume, which AWS would refuse.
		int imageSize = image.blockDeviceMappings().stream()
			.filter(m -> device.equals(m.deviceName()) && m.ebs() != null && m.ebs().volumeSize() != null)
			.mapToInt(m -> m.ebs().volumeSize()).findFirst().orElse(0);
		int gb = Math.max(size, imageSize);
		return LaunchTemplateBlockDeviceMappingRequest.builder().deviceName(device)
			.ebs(e -> e.volumeSize(gb).volumeType(VolumeType.GP3).deleteOnTermination(true)).build();
	}
}
