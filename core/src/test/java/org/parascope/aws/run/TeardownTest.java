package org.parascope.aws.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import org.parascope.Ticker;
import org.parascope.aws.AwsClients;
import org.parascope.aws.MotoServer;
import org.parascope.aws.RunResources;
import org.parascope.aws.TeardownPlan;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import software.amazon.awssdk.services.ec2.model.FleetStateCode;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The teardown against the AWS API emulator: the test creates a run's resources with plain SDK calls,
 * tears them down, then lists every kind of resource and finds none of the run's left.
 */
@ExtendWith(MotoServer.class)
class TeardownTest {

	private static final String BUCKET = RunResources.BUCKET;
	private static final Teardown.Waits QUICK = new Teardown.Waits(Duration.ofMillis(10), Duration.ofSeconds(2),
		Duration.ofSeconds(10));

	private AwsClients aws;
	private Config config;

	@BeforeEach
	void setUp() {
		config = Config.defaults().with(ConfigKey.APP_NAME, "App").with(ConfigKey.ECS_CLUSTER, "AppCluster")
			.with(ConfigKey.AWS_BUCKET, BUCKET);
		aws = new AwsClients(config, null, MotoServer.env());
	}

	@AfterEach
	void close() {
		aws.close();
	}

	private Teardown.Result tearDown(TeardownPlan plan, List<String> output) {
		return new Teardown(aws, plan, output::add, QUICK, Ticker.SYSTEM, false).run();
	}

	@Test
	void removesEveryResourceOfTheRunExportsItsLogsAndASecondRunFindsEverythingGone() throws IOException {
		String fleetId = RunResources.create(aws, "AppCluster");
		String machine = aws.ec2().describeFleetInstances(b -> b.fleetId(fleetId)).activeInstances().get(0).instanceId();
		TeardownPlan plan = TeardownPlan.of(config, Optional.of(RunResources.state(fleetId, "AppCluster")));
		List<String> output = new ArrayList<>();

		Teardown.Result result = tearDown(plan, output);

		assertTrue(result.complete(), output.toString());
		assertEquals(List.of(
			"scaled to 0: service AppService (was 2 containers)",
			"deleted: alarm App_" + machine,
			"deleted: alarm ApproximateNumberOfMessagesVisibleisZero_App",
			"deleted: EC2 fleet " + fleetId + " (2 machines terminating)",
			"deleted: launch template AppLaunchTemplate",
			"deleted: queue AppQueue",
			"deleted: dead-letter queue AppDeadMessages",
			"deleted: service AppService",
			"deleted: task definition AppTask:1",
			"deleted: task definition AppTask:2",
			"already gone: task definition AppMonitor",
			"deregistered: container instance " + machine + " from cluster AppCluster",
			"deleted: cluster AppCluster",
			"deleted: dashboard App",
			"exported: log group App to s3://results/exportedlogs/App/",
			"exported: log group App_perInstance to s3://results/exportedlogs/App_perInstance/"), output);
		assertNothingLeft(fleetId);
		assertEquals(List.of("App2_i-0123"), alarms());
		assertTrue(exportedLog("exportedlogs/App/").contains("task 7 of App done"));
		assertTrue(exportedLog("exportedlogs/App_perInstance/").contains("task 7 of App_perInstance done"));

		List<String> again = new ArrayList<>();
		assertTrue(tearDown(plan, again).complete(), again.toString());
		assertEquals(List.of(
			"already gone: alarms of App",
			"already gone: EC2 fleet " + fleetId,
			"already gone: launch template AppLaunchTemplate",
			"already gone: queue AppQueue",
			"already gone: dead-letter queue AppDeadMessages",
			"already gone: service AppService",
			"already gone: task definition AppTask",
			"already gone: task definition AppMonitor",
			"already gone: cluster AppCluster",
			"already gone: dashboard App",
			"already exported: log group App (to s3://results/exportedlogs/App/)",
			"already exported: log group App_perInstance (to s3://results/exportedlogs/App_perInstance/)"), again);
	}

	@Test
	void logsWrittenAfterAnExportAreExportedByTheNextTeardown() throws IOException {
		String fleetId = RunResources.create(aws, "AppCluster");
		TeardownPlan plan = TeardownPlan.of(config, Optional.of(RunResources.state(fleetId, "AppCluster")));
		tearDown(plan, new ArrayList<>());
		aws.logs().putLogEvents(b -> b.logGroupName("App").logStreamName("worker-1")
			.logEvents(e -> e.timestamp(Instant.now().toEpochMilli()).message("a late line")));

		List<String> output = new ArrayList<>();
		tearDown(plan, output);

		assertTrue(output.contains("exported: log group App to s3://results/exportedlogs/App/"), output.toString());
		assertTrue(output.contains("already exported: log group App_perInstance (to s3://results/exportedlogs/App_perInstance/)"),
			output.toString());
	}

	@Test
	void theDeadLetterQueueIsKeptWhileItHoldsFailedTasks() {
		String fleetId = RunResources.create(aws, "AppCluster");
		String dlq = aws.sqs().getQueueUrl(b -> b.queueName("AppDeadMessages")).queueUrl();
		aws.sqs().sendMessage(b -> b.queueUrl(dlq).messageBody("{\"Metadata\": \"Metadata_Well=A01\"}"));
		TeardownPlan plan = TeardownPlan.of(config, Optional.of(RunResources.state(fleetId, "AppCluster")));

		List<String> output = new ArrayList<>();
		assertTrue(tearDown(plan, output).complete());

		assertTrue(output.contains("kept: dead-letter queue AppDeadMessages (1 failed task(s): 'parascope retry-failed' "
			+ "sends them back after 'parascope setup'; the next cleanup deletes it once it is empty)"), output.toString());
		assertEquals(List.of(dlq), aws.sqs().listQueues(b -> b.queueNamePrefix("App")).queueUrls());
	}

	@Test
	void aSpotFleetRequestFromADcpStateFileIsCancelledWithItsMachines() {
		RunResources.create(aws, "AppCluster");
		String sfr = aws.ec2().requestSpotFleet(b -> b.spotFleetRequestConfig(c -> c.targetCapacity(2)
			.iamFleetRole("arn:aws:iam::123456789012:role/aws-ec2-spot-fleet-tagging-role").allocationStrategy("lowestPrice")
			.launchSpecifications(l -> l.imageId(RunResources.AMI).instanceType("m5.xlarge")))).spotFleetRequestId();
		List<String> machines = aws.ec2().describeSpotFleetInstances(b -> b.spotFleetRequestId(sfr)).activeInstances()
			.stream().map(i -> i.instanceId()).toList();

		List<String> output = new ArrayList<>();
		tearDown(TeardownPlan.of(config, Optional.of(RunResources.state(sfr, "AppCluster"))), output);

		assertTrue(output.contains("cancelled: spot fleet " + sfr + " (2 machines terminating)"), output.toString());
		assertTrue(aws.ec2().describeSpotFleetRequests(b -> b.spotFleetRequestIds(sfr)).spotFleetRequestConfigs().stream()
			.allMatch(f -> f.spotFleetRequestStateAsString().startsWith("cancelled")));
		assertTrue(instanceStates(machines).stream().allMatch(s -> s == InstanceStateName.TERMINATED
			|| s == InstanceStateName.SHUTTING_DOWN), instanceStates(machines).toString());
	}

	@Test
	void withoutAStateFileTheFleetIsFoundByTheAppsLaunchTemplate() {
		String fleetId = RunResources.create(aws, "AppCluster");

		List<String> output = new ArrayList<>();
		assertTrue(tearDown(TeardownPlan.of(config, Optional.empty()), output).complete(), output.toString());

		assertTrue(output.contains("deleted: EC2 fleet " + fleetId + " (2 machines terminating)"), output.toString());
		assertNothingLeft(fleetId);
	}

	@Test
	void theDefaultClusterAndAClusterOtherServicesUseAreKept() {
		String fleetId = RunResources.create(aws, "AppCluster");
		aws.ecs().createService(b -> b.cluster("AppCluster").serviceName("OtherService").taskDefinition("AppTask").desiredCount(0));
		List<String> output = new ArrayList<>();
		tearDown(TeardownPlan.of(config, Optional.of(RunResources.state(fleetId, "AppCluster"))), output);
		assertTrue(output.contains("kept: cluster AppCluster (other services use it: OtherService)"), output.toString());
		assertTrue(activeClusters().contains("AppCluster"));

		output.clear();
		tearDown(TeardownPlan.of(config, Optional.of(RunResources.state(fleetId, "default"))), output);
		assertTrue(output.contains("kept: cluster default (the account's default cluster is never deleted)"), output.toString());
	}

	private void assertNothingLeft(String fleetId) {
		assertEquals(List.of(), aws.sqs().listQueues(b -> b.queueNamePrefix("App")).queueUrls(), "queues");
		assertEquals(List.of(), activeClusters(), "clusters");
		for (String family : List.of("AppTask", "AppMonitor")) {
			for (TaskDefinitionStatus status : List.of(TaskDefinitionStatus.ACTIVE, TaskDefinitionStatus.INACTIVE)) {
				assertEquals(List.of(), aws.ecs().listTaskDefinitions(b -> b.familyPrefix(family).status(status))
					.taskDefinitionArns(), family + " " + status);
			}
		}
		assertTrue(aws.ec2().describeFleets(b -> {}).fleets().stream().noneMatch(f -> f.fleetState() == FleetStateCode.ACTIVE
			|| f.fleetState() == FleetStateCode.SUBMITTED || f.fleetState() == FleetStateCode.MODIFYING), "fleets");
		List<String> machines = aws.ec2().describeFleetInstances(b -> b.fleetId(fleetId)).activeInstances().stream()
			.map(i -> i.instanceId()).toList();
		assertTrue(instanceStates(machines).stream().allMatch(s -> s == InstanceStateName.TERMINATED
			|| s == InstanceStateName.SHUTTING_DOWN), "machines: " + instanceStates(machines));
		assertTrue(aws.ec2().describeLaunchTemplates(b -> {}).launchTemplates().isEmpty(), "launch templates");
		assertFalse(alarms().stream().anyMatch(a -> a.startsWith("App_") || a.endsWith("_App")), "alarms: " + alarms());
		assertEquals(List.of(), aws.cloudWatch().listDashboards(b -> {}).dashboardEntries(), "dashboards");
	}

	/** Clusters AWS would list: moto keeps deleted ones, marked INACTIVE. */
	private List<String> activeClusters() {
		List<String> arns = aws.ecs().listClusters().clusterArns();
		if (arns.isEmpty()) return List.of();
		return aws.ecs().describeClusters(b -> b.clusters(arns)).clusters().stream().filter(c -> "ACTIVE".equals(c.status()))
			.map(c -> c.clusterName()).toList();
	}

	@Test
	void deletesOnlyTheAppsOwnAlarmsNotThoseOfAppsWhoseNamesStartTheSame() {
		// As filed: cleanup of RelApp deleted the per-machine alarms of RelApp-prod and RelApp_2.
		List<String> names = List.of("RelApp", "RelApp_i-0123456789abcdef0", "RelApp-prod", "RelApp-prod_i-0123456789abcdef0",
			"RelApp_2", "RelApp_2_i-0123456789abcdef0", "RelApp2_i-0123456789abcdef0", "RelApp_i-not-an-instance");
		for (String alarm : names) {
			aws.cloudWatch().putMetricAlarm(b -> b.alarmName(alarm).namespace("AWS/EC2").metricName("CPUUtilization")
				.statistic("Maximum").period(60).evaluationPeriods(15).threshold(1.0).comparisonOperator("LessThanThreshold"));
		}
		Config relApp = config.with(ConfigKey.APP_NAME, "RelApp");
		List<String> output = new ArrayList<>();

		tearDown(TeardownPlan.of(relApp, Optional.empty()), output);

		assertTrue(output.containsAll(List.of("deleted: alarm RelApp", "deleted: alarm RelApp_i-0123456789abcdef0")), output::toString);
		assertEquals(List.of("RelApp-prod", "RelApp-prod_i-0123456789abcdef0", "RelApp2_i-0123456789abcdef0", "RelApp_2",
			"RelApp_2_i-0123456789abcdef0", "RelApp_i-not-an-instance"), alarms().stream().sorted().toList());
	}

	private List<String> alarms() {
		return aws.cloudWatch().describeAlarms().metricAlarms().stream().map(a -> a.alarmName()).toList();
	}

	private List<InstanceStateName> instanceStates(List<String> ids) {
		return aws.ec2().describeInstances(b -> b.instanceIds(ids)).reservations().stream()
			.flatMap(r -> r.instances().stream()).map(i -> i.state().name()).toList();
	}

	/** The text of the first exported log file under the prefix. */
	private String exportedLog(String prefix) throws IOException {
		S3Object gz = aws.s3().listObjectsV2(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
			.filter(o -> o.key().endsWith(".gz")).findFirst().orElseThrow(() -> new AssertionError("no logs under " + prefix));
		byte[] bytes = aws.s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(gz.key())).asByteArray();
		try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}
}
