package org.parascope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.aws.AwsClients;
import org.parascope.aws.ecs.MonitorTask;
import org.parascope.aws.MotoServer;
import org.parascope.aws.RunResources;
import org.parascope.aws.store.S3RunStateStore;
import org.parascope.config.Config;
import org.parascope.run.RunKeys;
import org.parascope.run.RunState;

import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

/** monitor and cleanup from the command line, against the AWS API emulator. */
@ExtendWith(MotoServer.class)
class MonitorCommandTest {

	@TempDir
	Path dir;

	private Path config;
	private Path state;
	private AwsClients aws;

	private Outcome run(String... args) {
		String[] all = new String[args.length + 2];
		all[0] = "--config";
		all[1] = config.toString();
		System.arraycopy(args, 0, all, 2, args.length);
		return Outcome.runIn(dir, MotoServer.env(), all);
	}

	@BeforeEach
	void setUp() throws Exception {
		config = Files.writeString(dir.resolve("parascope.yml"), """
			APP_NAME: App
			ECS_CLUSTER: AppCluster
			AWS_BUCKET: results
			DOCKERHUB_TAG: parascope/parascope:test
			MACHINE_PRICE: 0.25
			""");
		state = dir.resolve("files/AppSpotFleetRequestId.json");
		aws = new AwsClients(Config.load(config, MotoServer.env(), w -> {}), null, MotoServer.env());
	}

	@AfterEach
	void close() {
		aws.close();
	}

	@Test
	void detachRunsTheMonitorAsAServiceOfOneFargateTaskWithoutCredentialsAndCleanupDeletesItFirst() {
		String fleetId = RunResources.create(aws, "AppCluster");
		RunResources.state(fleetId, "AppCluster").write(state);
		String copy = "s3://results/parascope/state/AppSpotFleetRequestId.json";

		// Without STATE: files/<APP_NAME>SpotFleetRequestId.json in the folder the command runs in.
		Outcome detached = run("monitor", "--detach", "--interval", "30", "--cheapest");

		assertEquals(0, detached.exit(), detached.err());
		TaskDefinition definition = aws.ecs().describeTaskDefinition(b -> b.taskDefinition("AppMonitor")).taskDefinition();
		assertEquals(List.of("FARGATE"), definition.requiresCompatibilitiesAsStrings());
		assertTrue(definition.taskRoleArn().endsWith(":role/AppMonitorRole"), definition.taskRoleArn());
		ContainerDefinition container = definition.containerDefinitions().get(0);
		assertEquals("parascope/parascope:test", container.image());
		assertEquals(List.of("monitor", copy, "--interval", "30", "--cheapest"), container.command());
		Map<String, String> env = container.environment().stream().collect(
			java.util.stream.Collectors.toMap(KeyValuePair::name, KeyValuePair::value));
		assertEquals("App", env.get("APP_NAME"));
		assertEquals("results", env.get("AWS_BUCKET"));
		assertEquals(MonitorTask.JAVA_OPTIONS, env.get("JAVA_HEAP"), "the launcher's lean JVM options, not the worker's heap");
		assertEquals("512", definition.memory());
		assertTrue(env.keySet().stream().noneMatch(k -> k.contains("SECRET") || k.contains("ACCESS_KEY") || k.equals("AWS_PROFILE")),
			env.toString());
		assertFalse(env.values().stream().anyMatch("testing"::equals), "the test's credentials leaked: " + env);

		String name = "AppMonitor-" + fleetId;
		Service service = monitorService(name);
		assertEquals("ACTIVE", service.status());
		assertEquals(1, service.desiredCount());
		assertEquals("FARGATE", service.launchTypeAsString());
		assertEquals(definition.taskDefinitionArn(), service.taskDefinition());
		assertTrue(detached.out().contains("detached: ECS service " + name), detached.out());
		RunState shared = S3RunStateStore.of(aws.s3(), copy).read();
		assertEquals(fleetId, shared.fleetId());
		assertEquals(name, shared.extra().get(RunKeys.DETACHED_SERVICE));
		assertEquals(name, RunState.read(state).extra().get(RunKeys.DETACHED_SERVICE));

		Outcome again = run("monitor", state.toString(), "--detach", "--json");
		assertEquals(0, again.exit(), again.err());
		assertTrue(again.out().contains("already detached: ECS service " + name), again.out());
		assertTrue(again.out().contains("\"ending\":\"detached\"") && again.out().contains("\"service\":\"" + name + "\""),
			again.out());
		assertEquals(1, aws.ecs().listServices(b -> b.cluster("default")).serviceArns().size());

		Outcome competing = run("monitor", state.toString());
		assertEquals(Main.BAD_INPUT, competing.exit());
		assertTrue(competing.err().contains("this run is watched by the detached monitor (ECS service " + name), competing.err());

		// The emulator's service starts no task (docs/fleet.md): this one stands for the one ECS would run.
		String task = aws.ecs().runTask(b -> b.cluster("default").taskDefinition(service.taskDefinition())
			.launchType("FARGATE").group("service:" + name).networkConfiguration(service.deployments().get(0).networkConfiguration()))
			.tasks().get(0).taskArn();
		Outcome cleanup = run("cleanup");

		assertEquals(0, cleanup.exit(), cleanup.out() + cleanup.err());
		List<String> said = Arrays.asList(cleanup.out().strip().split("\n"));
		assertEquals("deleted: monitor service " + name + " (cluster default)", said.get(0), cleanup.out());
		assertEquals("stopped: monitor task " + task, said.get(1), cleanup.out());
		assertEquals("INACTIVE", monitorService(name).status());
		assertEquals("STOPPED", aws.ecs().describeTasks(b -> b.cluster("default").tasks(task)).tasks().get(0).desiredStatus());
		for (TaskDefinitionStatus status : List.of(TaskDefinitionStatus.ACTIVE, TaskDefinitionStatus.INACTIVE)) {
			assertEquals(List.of(), aws.ecs().listTaskDefinitions(b -> b.familyPrefix("AppMonitor").status(status))
				.taskDefinitionArns());
		}
		assertEquals("done", RunState.read(state).extra().get(RunKeys.TEARDOWN));
		assertEquals("done", S3RunStateStore.of(aws.s3(), copy).read().extra().get(RunKeys.TEARDOWN));

		Outcome monitorAfter = run("monitor", state.toString());
		assertEquals(0, monitorAfter.exit(), monitorAfter.err());
		assertTrue(monitorAfter.out().contains("was already torn down"), monitorAfter.out());

		Outcome secondCleanup = run("cleanup", state.toString());
		assertEquals(0, secondCleanup.exit(), secondCleanup.err());
		List<String> lines = Arrays.asList(secondCleanup.out().strip().split("\n"));
		assertTrue(lines.stream().allMatch(l -> l.startsWith("already gone: ") || l.startsWith("already exported: ")),
			secondCleanup.out());
	}

	@Test
	void cleanupOfAStateFileThatIsNotThereChangesNothing() {
		RunResources.create(aws, "AppCluster");

		Outcome o = run("cleanup", dir.resolve("files/NoSuchSpotFleetRequestId.json").toString());

		assertEquals(Main.BAD_INPUT, o.exit());
		assertTrue(o.err().contains("NoSuchSpotFleetRequestId.json: no such state file"), o.err());
		assertEquals(2, aws.sqs().listQueues(b -> b.queueNamePrefix("App")).queueUrls().size());
	}

	@Test
	void detachWithoutAnImageIsAnInputErrorAndStartsNothing() throws Exception {
		Files.writeString(config, "APP_NAME: App\nAWS_BUCKET: results\n");
		String fleetId = RunResources.create(aws, "AppCluster");
		RunResources.state(fleetId, "AppCluster").write(state);

		Outcome o = run("monitor", state.toString(), "--detach");

		assertEquals(Main.BAD_INPUT, o.exit());
		assertTrue(o.err().contains("DOCKERHUB_TAG is not set"), o.err());
		assertEquals(List.of(), aws.ecs().listTaskDefinitions(b -> b.familyPrefix("AppMonitor")).taskDefinitionArns());
	}

	@Test
	void dcpsCheapestArgumentMustBeTrueOrFalse() {
		RunResources.state("sfr-1", "AppCluster").write(state);

		Outcome o = run("monitor", state.toString(), "Maybe");

		assertEquals(Main.BAD_INPUT, o.exit());
		assertTrue(o.err().contains("CHEAPEST: expected True or False, got Maybe"), o.err());
	}

	@Test
	void monitorHelpExplainsTheRules() {
		Outcome o = run("monitor", "--help");
		assertEquals(0, o.exit());
		assertTrue(o.out().contains("--detach") && o.out().contains("--cheapest") && o.out().contains("3 readings in a row")
			&& o.out().contains("upper bound"), o.out());
	}

	@Test
	void cleanupWithoutAStateFileDeletesThisAppsMonitorServicesAndNoOtherAppsOnes() {
		aws.ecs().createCluster(b -> b.clusterName("default"));
		String definition = aws.ecs().registerTaskDefinition(b -> b.family("AppMonitor").containerDefinitions(c -> c.name("monitor")
			.image("parascope/parascope:test").memory(512))).taskDefinition().taskDefinitionArn();
		List<String> ours = List.of("AppMonitor-sfr-0123456789abcdef0", "AppMonitor-fleet-3f2a5e0c-1d4b-4c8e-9a7f-0b1c2d3e4f50");
		// Apps whose names merely start the same (App2, AppMonitor-sfr), and a service that only looks alike.
		List<String> theirs = List.of("App2Monitor-sfr-0123456789abcdef0", "AppMonitor-sfrMonitor-sfr-0123456789abcdef0",
			"AppMonitor-sfr-0123456789abcdef0-web", "AppService");
		for (String name : concat(ours, theirs)) {
			aws.ecs().createService(b -> b.cluster("default").serviceName(name).taskDefinition(definition).desiredCount(1));
		}

		Outcome cleanup = run("cleanup");

		assertEquals(0, cleanup.exit(), cleanup.out() + cleanup.err());
		for (String name : ours) {
			assertTrue(cleanup.out().contains("deleted: monitor service " + name + " (cluster default)"), cleanup.out());
			assertEquals("INACTIVE", monitorService(name).status(), name);
		}
		for (String name : theirs) assertEquals("ACTIVE", monitorService(name).status(), name);
	}

	private static List<String> concat(List<String> a, List<String> b) {
		List<String> all = new java.util.ArrayList<>(a);
		all.addAll(b);
		return all;
	}

	private Service monitorService(String name) {
		return aws.ecs().describeServices(b -> b.cluster("default").services(name)).services().get(0);
	}
}
