package org.parascope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.aws.AwsClients;
import org.parascope.aws.ExampleCloud;
import org.parascope.aws.MotoServer;
import org.parascope.aws.store.S3RunStateStore;
import org.parascope.aws.queue.SqsTaskQueue;
import org.parascope.cli.Outcome;
import org.parascope.config.Config;
import org.parascope.monitor.Monitor;
import org.parascope.monitor.MonitorListener;
import org.parascope.monitor.MonitorOptions;
import org.parascope.monitor.MonitorReading;
import org.parascope.monitor.ScriptedTicker;
import org.parascope.queue.Delivery;
import org.parascope.queue.TaskQueueContract;
import org.parascope.run.RunKeys;
import org.parascope.run.RunState;
import org.parascope.run.RunStateStore;

import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * The detached monitor of the example's run (examples/aws, AUTO_MONITOR True) as an ECS service of one
 * task, on the AWS API emulator: its container is stopped, another takes over from the state in S3 and
 * finishes the run, and nothing is left, the service included.
 *
 * <p>Where the emulator differs from AWS (docs/fleet.md): moto's ECS keeps a service's desired count but
 * runs no scheduler: CreateService starts no task, a stopped task is not replaced, and DeleteService
 * with force stops none. The test plays the scheduler as ECS does (RunTask of the service's task
 * definition, in the service's group), says so at each step, and runs each "container" as the
 * monitor its task definition names: {@code parascope monitor s3://...} on the S3 copy of the state,
 * here in this JVM on a {@link ScriptedTicker}.
 */
@ExtendWith(MotoServer.class)
class DetachedMonitorServiceTest {

	private static final Path CONFIG = ExampleCloud.EXAMPLES.resolve("aws/config.py");
	private static final String BUCKET = "your-bucket-name"; // as the example config.py says
	private static final String APP = ExampleCloud.APP;
	private static final MonitorOptions OPTIONS = new MonitorOptions(Duration.ofMinutes(1), false, 3, 1, 0.10);

	@TempDir
	Path workDir;

	private Config config;
	private AwsClients aws;
	private SqsTaskQueue queue;
	private final List<Delivery> inHand = new ArrayList<>();
	private final List<String> notes = new ArrayList<>();
	private final List<MonitorReading> readings = new ArrayList<>();

	@BeforeEach
	void setUp() throws Exception {
		config = Config.load(CONFIG, MotoServer.env(), w -> {});
		aws = new AwsClients(config, null, MotoServer.env());
		aws.s3().createBucket(b -> b.bucket(BUCKET));
		assertEquals(0, cli("init-account").exit());
		assertEquals(0, cli("setup").exit());
		queue = SqsTaskQueue.open(aws, config);
		queue.send(List.of(TaskQueueContract.task(1), TaskQueueContract.task(2), TaskQueueContract.task(3)));
	}

	@AfterEach
	void close() {
		aws.close();
	}

	@Test
	void aDetachedMonitorWhoseContainerIsStoppedIsReplacedAndTheReplacementFinishesTheRun() throws Exception {
		// An earlier run of the app, torn down, left its copy of the state under the same key: not this run's.
		remote().write(new RunState("sfr-earlier", APP, "parascope-nuclei", APP + "Queue", BUCKET, APP, Instant.now(),
			true, Map.of(RunKeys.TEARDOWN, RunKeys.DONE_VALUE)));
		Outcome started = cli("start-fleet", ExampleCloud.userFleetFile(aws, workDir).toString(), "--wait", "1m", "--json");

		assertEquals(0, started.exit(), started.out() + started.err());
		RunState local = localState().read();
		String name = APP + "Monitor-" + local.fleetId();
		String copy = "s3://" + BUCKET + "/parascope/state/" + APP + "SpotFleetRequestId.json";
		assertTrue(started.err().contains("detached: ECS service " + name + " (Fargate, cluster default, one task, "
			+ "replaced if it dies)"), started.err());
		// A script learns from the JSON where the monitor runs and how to follow it.
		JsonNode json = new ObjectMapper().readTree(started.out());
		assertEquals("detached", json.path("monitor").asText(), started.out());
		assertEquals(name, json.path("service").asText(), started.out());
		assertEquals("default", json.path("cluster").asText(), started.out());
		assertEquals(copy, json.path("monitorState").asText(), started.out());
		String follow = "parascope --config " + CONFIG + " monitor --follow files/" + APP + "SpotFleetRequestId.json";
		assertEquals(follow, json.path("follow").asText(), started.out());
		assertEquals(follow, json.path("next").asText(), started.out());
		// The earlier run's copy was replaced by this run's, not continued.
		assertEquals(local.fleetId(), remote().read().fleetId());
		assertEquals(null, remote().read().extra().get(RunKeys.TEARDOWN));
		assertEquals(name, local.extra().get(RunKeys.DETACHED_SERVICE));
		assertEquals(copy, local.extra().get(RunKeys.DETACHED_STATE));
		Service service = service(name);
		assertEquals("ACTIVE", service.status());
		assertEquals(1, service.desiredCount());
		assertEquals(LaunchType.FARGATE, service.launchType());
		String latest = aws.ecs().describeTaskDefinition(b -> b.taskDefinition(APP + "Monitor")).taskDefinition()
			.taskDefinitionArn();
		assertEquals(latest, service.taskDefinition());
		ContainerDefinition container = aws.ecs().describeTaskDefinition(b -> b.taskDefinition(service.taskDefinition()))
			.taskDefinition().containerDefinitions().get(0);
		assertEquals(List.of("monitor", copy, "--interval", "60"), container.command());
		Map<String, String> env = container.environment().stream().collect(Collectors.toMap(KeyValuePair::name, KeyValuePair::value));
		assertTrue(env.keySet().stream().noneMatch(k -> k.contains("SECRET") || k.contains("ACCESS_KEY") || k.equals("AWS_PROFILE")),
			env.toString());
		assertFalse(env.values().stream().anyMatch("testing"::equals), "the test's credentials leaked: " + env);
		Outcome status = cli("status");
		assertTrue(status.out().contains("Detached monitor: ECS service " + name + " (cluster default): ACTIVE"), status.out());

		try (Parascope container1 = new Parascope(config, new AwsClients(config, null, MotoServer.env()));
			Parascope container2 = new Parascope(config, new AwsClients(config, null, MotoServer.env())))
		{
			// ECS starts the service's task (moto does not: played here), whose container runs the monitor on
			// the state in S3. Workers take the 3 tasks; the container dies after its first reading.
			String first = ecsStartsTheServicesTask(service);
			take(3);
			assertThrows(ScriptedTicker.Killed.class, () -> container1.monitor(remote(), OPTIONS,
				listener(s -> s.equals("reading 1")), new ScriptedTicker(Instant.now()).idle(5)));
			String firstReading = remote().read().extra().get(RunKeys.FIRST_READING);
			assertEquals("3", remote().read().extra().get(RunKeys.TASKS));
			aws.ecs().stopTask(b -> b.cluster("default").task(first).reason("test: the container died"));

			// The service still wants its one task, so ECS starts another (moto does not: played here).
			Service after = service(name);
			assertEquals("ACTIVE", after.status());
			assertEquals(1, after.desiredCount());
			String second = ecsStartsTheServicesTask(after);
			finishAll();
			notes.clear();
			readings.clear();
			Monitor.Outcome outcome = container2.monitor(remote(), OPTIONS, listener(s -> false),
				new ScriptedTicker(Instant.now()).idle(60));

			assertEquals(Monitor.Ending.TORN_DOWN, outcome.ending(), notes.toString());
			// It carried on from the state in S3: the same first reading, the tasks done counted from it.
			assertEquals(3, outcome.last().orElseThrow().done(), notes.toString());
			RunState remoteState = remote().read();
			assertEquals(firstReading, remoteState.extra().get(RunKeys.FIRST_READING));
			assertEquals(RunKeys.DONE_VALUE, remoteState.extra().get(RunKeys.TEARDOWN));
			// Its service is deleted last, after the teardown is recorded.
			assertEquals("deleted: monitor service " + name + " (this monitor: ECS stops its container now)",
				notes.get(notes.size() - 1));
			assertEquals("INACTIVE", service(name).status());
			// DeleteService with force stops the service's task in AWS; moto stops none: played here.
			aws.ecs().stopTask(b -> b.cluster("default").task(second).reason("ECS: service deleted"));
		}
		ExampleCloud.assertNothingLeft(aws);

		Outcome followed = cli("monitor", "--follow");
		assertEquals(0, followed.exit(), followed.out() + followed.err());
		assertTrue(followed.out().contains("the detached monitor tore this run down"), followed.out());
		assertEquals(RunKeys.DONE_VALUE, localState().read().extra().get(RunKeys.TEARDOWN));
	}

	@Test
	void aServiceTheStateFileCannotRecordIsDeletedAgainAndNothingElseOfTheRunChanges() throws Exception {
		Outcome started = cli("start-fleet", ExampleCloud.userFleetFile(aws, workDir).toString(), "--wait", "1m", "--no-monitor");
		assertEquals(0, started.exit(), started.out() + started.err());
		String fleetId = localState().read().fleetId();
		// A state file that can be read but not rewritten, for any user, root included: its name leaves no room
		// for the temporary file it is rewritten through (a name has at most 255 bytes; that one adds 20 and more).
		Path stateFile = workDir.resolve("files/" + "r".repeat(240) + ".json");
		Files.copy(workDir.resolve("files/" + APP + "SpotFleetRequestId.json"), stateFile);
		byte[] before = Files.readAllBytes(stateFile);

		Outcome detached = cli("monitor", stateFile.toString(), "--detach");

		String name = APP + "Monitor-" + fleetId;
		assertEquals(2, detached.exit(), detached.out() + detached.err());
		assertTrue(detached.err().contains(stateFile + ": the detached monitor's service " + name + " was deleted again, "
			+ "as this state file could not record it: " + stateFile + ": cannot write the monitor file"), detached.err());
		// The service was created, then deleted: no monitor the state file does not name is left running.
		assertEquals("INACTIVE", service(name).status());
		assertEquals(List.of(), ExampleCloud.services(aws, "default"));
		// Nothing else of the run changed: its state file, fleet, queue and workers' service.
		assertArrayEquals(before, Files.readAllBytes(stateFile));
		assertEquals("active", aws.ec2().describeSpotFleetRequests(b -> b.spotFleetRequestIds(fleetId))
			.spotFleetRequestConfigs().get(0).spotFleetRequestStateAsString());
		assertEquals(3, queue.counts().waiting());
		assertEquals(1, ExampleCloud.services(aws, "parascope-nuclei").size());

		assertEquals(0, cli("cleanup").exit());
		ExampleCloud.assertNothingLeft(aws);
	}

	/** What ECS's service scheduler does when the service has fewer tasks than it wants (moto does not). */
	private String ecsStartsTheServicesTask(Service service) {
		var network = service.deployments().get(0).networkConfiguration();
		return aws.ecs().runTask(b -> b.cluster("default").taskDefinition(service.taskDefinition())
			.launchType(LaunchType.FARGATE).count(1).group("service:" + service.serviceName())
			.startedBy("ecs-svc/" + service.serviceName()).networkConfiguration(network)).tasks().get(0).taskArn();
	}

	private Service service(String name) {
		return aws.ecs().describeServices(b -> b.cluster("default").services(name)).services().get(0);
	}

	private Outcome cli(String... args) {
		return Outcome.withConfig(workDir, MotoServer.env(), CONFIG, args);
	}

	private RunStateStore localState() {
		return RunStateStore.local(workDir.resolve("files/" + APP + "SpotFleetRequestId.json"));
	}

	private RunStateStore remote() {
		return S3RunStateStore.of(aws.s3(), "s3://" + BUCKET + "/parascope/state/" + APP + "SpotFleetRequestId.json");
	}

	private void take(int n) {
		for (int i = 0; i < n; i++) inHand.add(queue.receive(Duration.ZERO).orElseThrow());
	}

	private void finishAll() {
		inHand.forEach(queue::delete);
		inHand.clear();
	}

	private MonitorListener listener(Predicate<String> killAt) {
		return new MonitorListener() {
			@Override
			public void reading(MonitorReading reading) {
				readings.add(reading);
				if (killAt.test("reading " + readings.size())) throw new ScriptedTicker.Killed();
			}

			@Override
			public void note(String line) {
				notes.add(line);
				if (killAt.test(line)) throw new ScriptedTicker.Killed();
			}
		};
	}
}
