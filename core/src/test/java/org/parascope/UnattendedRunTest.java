package org.parascope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

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
import org.parascope.aws.queue.SqsTaskQueue;
import org.parascope.aws.ThrottlingProxy;
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
import org.parascope.run.RunStateStore;

/**
 * An unattended run of the example (examples/aws: DCP's config.py and fleet file) on the AWS API
 * emulator, from start-fleet to a teardown that leaves nothing: with the AWS APIs failing for a
 * stretch in the middle (through {@link ThrottlingProxy}: moto neither throttles nor fails), and with
 * the monitor killed at each phase and started again. The emulator's ECS runs no containers, so the
 * tasks are worked by hand between readings; time is a {@link ScriptedTicker}, so nothing sleeps but
 * the SDK's own retries.
 */
@ExtendWith(MotoServer.class)
class UnattendedRunTest {

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

	/** start-fleet, the monitor left to the test; as a script would run it (--json). */
	private void startFleet() throws Exception {
		Outcome started = cli("start-fleet", ExampleCloud.userFleetFile(aws, workDir).toString(), "--wait", "1m", "--no-monitor",
			"--json");
		assertEquals(0, started.exit(), started.out() + started.err());
		assertTrue(started.err().contains("warning: no monitor watches this run (--no-monitor): its 2 machine(s) cost up to "
			+ "$0.20 an hour"), started.err());
		JsonNode json = new ObjectMapper().readTree(started.out());
		assertEquals("spot-fleet", json.path("kind").asText(), started.out());
		assertTrue(json.path("fleetId").asText().startsWith("sfr-"), started.out());
		assertEquals(2, json.path("target").asInt(), started.out());
		assertEquals(2, json.path("running").asInt(), started.out());
		assertEquals("none", json.path("monitor").asText(), started.out());
		assertTrue(json.path("stateFile").asText().endsWith(APP + "SpotFleetRequestId.json"), started.out());
	}

	@AfterEach
	void close() {
		aws.close();
	}

	private Outcome cli(String... args) {
		return Outcome.withConfig(workDir, MotoServer.env(), CONFIG, args);
	}

	private RunStateStore state() {
		return RunStateStore.local(workDir.resolve("files/" + APP + "SpotFleetRequestId.json"));
	}

	/** Workers take {@code n} tasks (the emulator's ECS runs none). */
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

	private List<String> alarms() {
		return aws.cloudWatch().describeAlarms(b -> b.alarmNamePrefix(APP + "_i-")).metricAlarms().stream()
			.map(a -> a.alarmName()).toList();
	}

	@Test
	void aRunWhoseAwsCallsFailForAStretchInTheMiddleStillEndsTornDownWithNothingLeft() throws Exception {
		startFleet();
		try (ThrottlingProxy proxy = new ThrottlingProxy(MotoServer.endpoint(), ThrottlingProxy.SERVER_ERROR, 0);
			Parascope watched = new Parascope(config, new AwsClients(config, proxy.endpoint(), MotoServer.env())))
		{
			// The teardown's own calls fail too, more often than the SDK retries (4 tries a call): its steps
			// wait and try again.
			proxy.failNext(5, "AmazonEC2ContainerServiceV20141113.UpdateService", ThrottlingProxy.SERVER_ERROR);
			proxy.failNext(5, "CancelSpotFleetRequests", ThrottlingProxy.EC2_REQUEST_LIMIT_EXCEEDED);
			proxy.failNext(5, "AmazonSQS.DeleteQueue", ThrottlingProxy.DROP);
			// In the middle of the run, three readings in a row fail: SQS answers 500, then EC2 throttles,
			// then SQS drops the connections; each stretch outlasts the SDK's own retries.
			ScriptedTicker ticker = new ScriptedTicker(Instant.now())
				.then(() -> {
					take(3);
					proxy.failNext(4, "AmazonSQS.GetQueueAttributes", ThrottlingProxy.SERVER_ERROR);
				})
				.then(() -> proxy.failNext(4, "DescribeSpotFleetRequests", ThrottlingProxy.EC2_REQUEST_LIMIT_EXCEEDED))
				.then(() -> proxy.failNext(4, "AmazonSQS.GetQueueAttributes", ThrottlingProxy.DROP))
				.then(this::finishAll)
				.idle(200);

			Monitor.Outcome outcome = watched.monitor(state(), OPTIONS, listener(s -> false), ticker);

			assertEquals(Monitor.Ending.TORN_DOWN, outcome.ending(), notes.toString());
			List<String> weather = notes.stream().filter(n -> n.contains("reading the queue and the fleet failed")).toList();
			assertEquals(3, weather.size(), notes.toString());
			assertTrue(weather.get(0).contains("HTTP 500 from Sqs") && weather.get(0).contains("trying again in 10 s"), weather.get(0));
			assertTrue(weather.get(1).contains("RequestLimitExceeded") && weather.get(1).contains("trying again in 20 s"), weather.get(1));
			assertTrue(weather.get(2).contains("Unable to execute HTTP request") && weather.get(2).contains("trying again in 40 s"),
				weather.get(2));
			assertTrue(notes.stream().anyMatch(n -> n.startsWith("retrying: scaling service")), notes.toString());
			assertTrue(notes.stream().anyMatch(n -> n.startsWith("retrying: stopping the fleet")), notes.toString());
			assertTrue(notes.stream().anyMatch(n -> n.startsWith("retrying: deleting queue")), notes.toString());
			assertEquals(3, outcome.last().orElseThrow().done());
		}
		ExampleCloud.assertNothingLeft(aws);
		assertEquals(RunKeys.DONE_VALUE, state().read().extra().get(RunKeys.TEARDOWN));
	}

	@Test
	void aMonitorKilledWhileReadingWhileLoweringAndHalfWayThroughTheTeardownEndsTheRunWhenStartedAgain() throws Exception {
		startFleet();
		try (Parascope watched = new Parascope(config, new AwsClients(config, null, MotoServer.env()))) {
			// start-fleet put the idle alarm on its 2 machines; a third comes later (a spot replacement).
			String fleetId = state().read().fleetId();
			assertEquals(2, alarms().size());
			aws.ec2().modifySpotFleetRequest(b -> b.spotFleetRequestId(fleetId).targetCapacity(3));
			String third = aws.ec2().describeSpotFleetInstances(b -> b.spotFleetRequestId(fleetId)).activeInstances().stream()
				.map(i -> i.instanceId()).filter(i -> !alarms().contains(APP + "_" + i)).findFirst().orElseThrow();

			// Killed at its first reading, once it has recorded it; the reading put the third machine's alarm.
			assertThrows(ScriptedTicker.Killed.class, () -> watched.monitor(state(), OPTIONS,
				listener(s -> s.equals("reading 1")), new ScriptedTicker(Instant.now()).idle(5)));
			assertTrue(notes.contains("idle alarm " + APP + "_" + third + ": terminates its machine after 15 minutes below "
				+ "1.0 % CPU"), notes.toString());
			assertEquals(3, alarms().size());
			take(3);
			inHand.subList(0, 2).forEach(queue::delete);
			inHand.subList(0, 2).clear();

			// Started again: nothing waits and one task runs, so it lowers the fleet to one machine, and is
			// killed right then.
			assertThrows(ScriptedTicker.Killed.class, () -> watched.monitor(state(), OPTIONS,
				listener(s -> s.startsWith("fleet target lowered")), new ScriptedTicker(Instant.now()).idle(5)));
			assertEquals(1, aws.ec2().describeSpotFleetRequests().spotFleetRequestConfigs().get(0).spotFleetRequestConfig()
				.targetCapacity());
			finishAll();

			// Again: it sees the queue empty, tears down, and is killed once the queue is deleted.
			assertThrows(ScriptedTicker.Killed.class, () -> watched.monitor(state(), OPTIONS,
				listener(s -> s.equals("deleted: queue " + APP + "Queue")), new ScriptedTicker(Instant.now()).idle(20)));
			assertEquals(RunKeys.STARTED, state().read().extra().get(RunKeys.TEARDOWN));

			notes.clear();
			Monitor.Outcome outcome = watched.monitor(state(), OPTIONS, listener(s -> false),
				new ScriptedTicker(Instant.now()).idle(50));

			assertEquals(Monitor.Ending.TORN_DOWN, outcome.ending(), notes.toString());
			assertEquals("an earlier teardown of this run did not finish: finishing it", notes.get(0));
			assertTrue(notes.contains("already gone: queue " + APP + "Queue"), notes.toString());
		}
		ExampleCloud.assertNothingLeft(aws);
		assertEquals(RunKeys.DONE_VALUE, state().read().extra().get(RunKeys.TEARDOWN));
		assertTrue(Files.exists(workDir.resolve("files/" + APP + "SpotFleetRequestId.json")));
	}

	@Test
	void withAutoMonitorStartFleetDetachesTheMonitorAndFollowSaysWhenItsServiceIsGone() throws Exception {
		Outcome started = cli("start-fleet", ExampleCloud.userFleetFile(aws, workDir).toString(), "--wait", "1m");

		assertEquals(0, started.exit(), started.out() + started.err());
		String stateFile = "files/" + APP + "SpotFleetRequestId.json";
		assertTrue(started.out().contains("detached: ECS service " + APP + "Monitor-sfr-"), started.out());
		assertTrue(started.out().contains("Follow it: parascope --config " + CONFIG + " monitor --follow " + stateFile),
			started.out());
		String service = state().read().extra().get(RunKeys.DETACHED_SERVICE);
		assertEquals(List.of(service), ExampleCloud.services(aws, "default"));

		// Someone deletes the service (a container that dies is replaced by ECS: DetachedMonitorServiceTest).
		aws.ecs().deleteService(b -> b.cluster("default").service(service).force(true));
		Outcome followed = cli("monitor", "--follow", "--interval", "1");

		assertEquals(3, followed.exit(), followed.out() + followed.err());
		assertTrue(followed.out().contains("the detached monitor's ECS service " + service + " is gone, and the run is not "
			+ "torn down: 'parascope monitor --detach' starts another"), followed.out());

		assertEquals(0, cli("cleanup").exit());
		ExampleCloud.assertNothingLeft(aws);
		Outcome after = cli("monitor", "--follow");
		assertEquals(0, after.exit(), after.out() + after.err());
		assertTrue(after.out().contains("was already torn down"), after.out());
	}
}
