package org.parascope.aws.fleet;

import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.ec2.model.LaunchTemplateBlockDeviceMappingRequest;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateHttpTokensState;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateIamInstanceProfileSpecificationRequest;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateInstanceMetadataEndpointState;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateInstanceNetworkInterfaceSpecificationRequest;
import software.amazon.awssdk.services.ec2.model.RequestLaunchTemplateData;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * What every machine of a fleet looks like, whichever way it was described (a DCP fleet file or the
 * config alone): it becomes one launch template, and the fleet varies only instance type and subnet.
 *
 * <p>A launch template rather than Spot Fleet launch specifications, because launch specifications
 * cannot set instance metadata options, and IMDSv2 (session tokens required) must be enforced.
 *
 * @param instanceProfile an instance profile ARN, or a name
 * @param keyName the SSH key pair, or null
 * @param disks block device mappings; the data volume already has its size
 * @param subnets where machines may start; empty lets AWS choose the default VPC's
 * @param instanceTypes every MACHINE_TYPE, in the config's order
 * @param maxPrice MACHINE_PRICE as AWS wants it, USD per hour
 * @param userData base64 script that joins the ECS cluster
 * @param origins for each resource id or name named here, where it came from (a config key, or a
 *        fleet file and JSON path), for error messages
 */
public record MachinePlan(String app, String imageId, String instanceProfile, String keyName,
	List<LaunchTemplateBlockDeviceMappingRequest> disks, List<String> subnets, List<String> securityGroups,
	boolean publicIp, List<String> instanceTypes, String maxPrice, String userData, Map<String, String> origins) {

	public MachinePlan {
		disks = List.copyOf(disks);
		subnets = List.copyOf(subnets);
		securityGroups = List.copyOf(securityGroups);
		instanceTypes = List.copyOf(instanceTypes);
		origins = Map.copyOf(origins);
	}

	/** Where {@code value} (an AMI, subnet, role...) was named, e.g. "fleet.json: LaunchSpecifications[0].ImageId". */
	public String origin(String value) {
		return origins.getOrDefault(value, value);
	}

	/** The launch template's contents: everything but instance type and subnet, with IMDSv2 required. */
	public RequestLaunchTemplateData templateData() {
		var nic = LaunchTemplateInstanceNetworkInterfaceSpecificationRequest.builder().deviceIndex(0)
			.associatePublicIpAddress(publicIp).deleteOnTermination(true);
		if (!securityGroups.isEmpty()) nic.groups(securityGroups);
		var profile = instanceProfile.startsWith("arn:")
			? LaunchTemplateIamInstanceProfileSpecificationRequest.builder()
				.arn(instanceProfile).build()
			: LaunchTemplateIamInstanceProfileSpecificationRequest.builder()
				.name(instanceProfile).build();
		List<Tag> tags = List.of(Tag.builder().key("Name").value(app + " worker").build(),
			Tag.builder().key(LaunchTemplates.APP_TAG).value(app).build());
		return RequestLaunchTemplateData.builder().imageId(imageId).keyName(keyName).iamInstanceProfile(profile)
			.blockDeviceMappings(disks).networkInterfaces(nic.build()).userData(userData)
			// Tokens required: a process that can be tricked into fetching a URL cannot read the
			// instance's credentials. Hop limit 1: containers get the task role from the ECS agent,
			// never the instance role through the metadata service.
			.metadataOptions(m -> m.httpTokens(LaunchTemplateHttpTokensState.REQUIRED)
				.httpEndpoint(LaunchTemplateInstanceMetadataEndpointState.ENABLED).httpPutResponseHopLimit(1))
			.tagSpecifications(t -> t.resourceType(ResourceType.INSTANCE).tags(tags))
			.build();
	}
}
