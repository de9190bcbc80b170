package org.parascope.aws;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.parascope.aws.fleet.LaunchTemplates;
import org.parascope.run.RunState;

import software.amazon.awssdk.services.ec2.model.ResourceType;

/** A run's resources in the emulator, made with plain SDK calls: what setup, start-fleet and workers leave. */
public final class RunResources {

	public static final String BUCKET = "results";
	/** One of the images moto knows (listing them all takes seconds). */
	public static final String AMI = "ami-12c6146b";

	private RunResources() {}

	/** A run as setup, start-fleet and workers leave it; returns the EC2 Fleet's id. */
	public static String create(AwsClients aws, String cluster) {
		aws.s3().createBucket(b -> b.bucket(BUCKET));
		String dlqUrl = aws.sqs().createQueue(b -> b.queueName("AppDeadMessages")).queueUrl();
		String dlqArn = aws.sqs().getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNamesWithStrings("QueueArn"))
			.attributesAsStrings().get("QueueArn");
		aws.sqs().createQueue(b -> b.queueName("AppQueue").attributesWithStrings(Map.of("RedrivePolicy",
			"{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"3\"}")));

		if (!cluster.equals("default")) aws.ecs().createCluster(b -> b.clusterName(cluster));
		for (int i = 0; i < 2; i++) {
			aws.ecs().registerTaskDefinition(b -> b.family("AppTask").containerDefinitions(c -> c.name("App")
				.image("parascope:test").memory(1000)));
		}
		aws.ecs().createService(b -> b.cluster(cluster).serviceName("AppService").taskDefinition("AppTask").desiredCount(2));

		// Named and tagged as start-fleet does.
		aws.ec2().createLaunchTemplate(b -> b.launchTemplateName("AppLaunchTemplate")
			.launchTemplateData(d -> d.imageId(AMI).instanceType("m5.xlarge"))
			.tagSpecifications(t -> t.resourceType(ResourceType.LAUNCH_TEMPLATE)
				.tags(tag -> tag.key(LaunchTemplates.APP_TAG).value("App"))));
		String fleetId = aws.ec2().createFleet(b -> b.type("maintain")
			.targetCapacitySpecification(t -> t.totalTargetCapacity(2).defaultTargetCapacityType("spot"))
			.launchTemplateConfigs(c -> c.launchTemplateSpecification(s -> s.launchTemplateName("AppLaunchTemplate").version("$Latest")))
			.tagSpecifications(t -> t.resourceType(ResourceType.FLEET).tags(g -> g.key("app").value("App")))).fleetId();
		// One of its machines has joined the cluster, as the ECS agent would make it.
		String machine = aws.ec2().describeFleetInstances(b -> b.fleetId(fleetId)).activeInstances().get(0).instanceId();
		aws.ecs().registerContainerInstance(b -> b.cluster(cluster)
			.instanceIdentityDocument("{\"instanceId\": \"" + machine + "\"}"));

		for (String alarm : List.of("App_" + machine, "ApproximateNumberOfMessagesVisibleisZero_App", "App2_i-0123")) {
			aws.cloudWatch().putMetricAlarm(b -> b.alarmName(alarm).namespace("AWS/EC2").metricName("CPUUtilization")
				.statistic("Maximum").period(60).evaluationPeriods(15).threshold(1.0).comparisonOperator("LessThanThreshold"));
		}
		aws.cloudWatch().putDashboard(b -> b.dashboardName("App").dashboardBody("{\"widgets\": []}"));

		for (String group : List.of("App", "App_perInstance")) {
			aws.logs().createLogGroup(b -> b.logGroupName(group));
			aws.logs().createLogStream(b -> b.logGroupName(group).logStreamName("worker-1"));
			aws.logs().putLogEvents(b -> b.logGroupName(group).logStreamName("worker-1")
				.logEvents(e -> e.timestamp(Instant.now().toEpochMilli()).message("task 7 of " + group + " done")));
		}
		return fleetId;
	}

	public static RunState state(String fleetId, String cluster) {
		return new RunState(fleetId, "App", cluster, "AppQueue", BUCKET, "App", Instant.now().minus(Duration.ofHours(1)),
			true, Map.of());
	}
}
