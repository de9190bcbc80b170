package org.parascope.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

/**
 * The AWS side of the example job's end-to-end tests (examples/aws: a Distributed-CellProfiler config.py
 * and fleet file), shared by every face that runs it: the fleet file as a user fills it in, and the check
 * that a teardown left nothing behind.
 */
public final class ExampleCloud {

	/** examples/ seen from a module's folder, where Maven runs its tests. */
	public static final Path EXAMPLES = Path.of("../examples").toAbsolutePath().normalize();
	/** APP_NAME in examples/aws/config.py. */
	public static final String APP = "ParascopeNuclei";

	private ExampleCloud() {}

	/** DCP's fleet file as a user fills it in: their key pair, subnet, security group and machine image. */
	public static Path userFleetFile(AwsClients aws, Path folder) throws IOException {
		aws.ec2().createKeyPair(b -> b.keyName("my-key"));
		String subnet = aws.ec2().describeSubnets(b -> b.filters(Filter.builder().name("default-for-az").values("true").build()))
			.subnets().get(0).subnetId();
		String group = aws.ec2().describeSecurityGroups(b -> b.filters(Filter.builder().name("group-name").values("default").build()))
			.securityGroups().get(0).groupId();
		String image = aws.ec2().describeImages(b -> b.imageIds("ami-12c6146b")).images().get(0).imageId();
		String text = Files.readString(EXAMPLES.resolve("aws/fleet.json")).replace("subnet-00000000", subnet)
			.replace("sg-00000000", group).replace("ami-00000000000000000", image).replace("your_key_file_name", "my-key");
		return Files.writeString(folder.resolve("fleet.json"), text);
	}

	/** Every kind of resource the example's setup, start-fleet and monitor create is gone. */
	public static void assertNothingLeft(AwsClients aws) {
		assertEquals(List.of(), aws.sqs().listQueues(b -> b.queueNamePrefix(APP)).queueUrls(), "queues");
		assertEquals(List.of(), aws.ecs().describeClusters(b -> b.clusters("parascope-nuclei")).clusters().stream()
			.filter(c -> "ACTIVE".equals(c.status())).toList(), "clusters");
		assertEquals(List.of(), aws.ecs().listTaskDefinitions(b -> b.familyPrefix(APP).status(TaskDefinitionStatus.ACTIVE))
			.taskDefinitionArns(), "task definitions");
		assertEquals(List.of(), aws.ec2().describeSpotFleetRequests().spotFleetRequestConfigs().stream()
			.filter(r -> r.spotFleetRequestStateAsString().startsWith("active")).toList(), "fleets");
		assertEquals(List.of(), aws.ec2().describeLaunchTemplates().launchTemplates(), "launch templates");
		assertEquals(List.of(), aws.cloudWatch().describeAlarms().metricAlarms(), "alarms");
		assertEquals(List.of(), aws.cloudWatch().listDashboards().dashboardEntries(), "dashboards");
		for (String cluster : List.of("default", "parascope-nuclei")) assertEquals(List.of(), services(aws, cluster), "services of " + cluster);
	}

	/**
	 * The services of a cluster that are not deleted: the app's, and the detached monitor's in cluster default.
	 * The emulator lists deleted services too (as INACTIVE); AWS stops listing them once they are.
	 */
	public static List<String> services(AwsClients aws, String cluster) {
		try {
			List<String> arns = new java.util.ArrayList<>();
			aws.ecs().listServicesPaginator(b -> b.cluster(cluster)).serviceArns().forEach(arns::add);
			List<String> live = new java.util.ArrayList<>();
			for (int i = 0; i < arns.size(); i += 10) {
				List<String> batch = arns.subList(i, Math.min(i + 10, arns.size()));
				aws.ecs().describeServices(b -> b.cluster(cluster).services(batch)).services().stream()
					.filter(s -> !"INACTIVE".equals(s.status())).forEach(s -> live.add(s.serviceName()));
			}
			return live;
		}
		catch (ClusterNotFoundException e) {
			return List.of();
		}
	}
}
