package org.parascope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.aws.AwsClients;
import org.parascope.aws.ExampleCloud;
import org.parascope.aws.MotoServer;
import org.parascope.aws.RunResources;
import org.parascope.config.Config;
import org.parascope.run.RunKeys;
import org.parascope.run.RunState;

import software.amazon.awssdk.services.ec2.model.FleetStateCode;

/**
 * A monitor on a terminal stopped by Ctrl-C: in its own JVM, sent SIGINT as a terminal does, against the
 * AWS API emulator. It stops between calls, tears nothing down, says what still runs and what it costs,
 * and prints the commands that carry on or clean up, which do what they say.
 */
@ExtendWith(MotoServer.class)
class MonitorInterruptTest {

	@TempDir
	Path dir;

	private Path config;
	private AwsClients aws;

	@BeforeEach
	void setUp() throws Exception {
		config = Files.writeString(dir.resolve("parascope.yml"), """
			APP_NAME: App
			ECS_CLUSTER: AppCluster
			AWS_BUCKET: results
			MACHINE_PRICE: 0.25
			""");
		aws = new AwsClients(Config.load(config, MotoServer.env(), w -> {}), null, MotoServer.env());
	}

	@AfterEach
	void close() {
		aws.close();
	}

	@Test
	void ctrlCStopsTheMonitorWithExit3TearingNothingDownAndThePrintedCleanupLeavesNothing() throws Exception {
		String fleetId = RunResources.create(aws, "AppCluster");
		Path state = dir.resolve("files/AppSpotFleetRequestId.json");
		RunResources.state(fleetId, "AppCluster").write(state);
		// One task waits, so the monitor keeps watching.
		String queue = aws.sqs().getQueueUrl(b -> b.queueName("AppQueue")).queueUrl();
		aws.sqs().sendMessage(b -> b.queueUrl(queue).messageBody("{\"Metadata\": \"task 1\"}"));
		Path out = dir.resolve("out.txt");
		Path err = dir.resolve("err.txt");
		ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
			System.getProperty("java.class.path"), Main.class.getName(), "--config", config.toString(), "monitor",
			"--interval", "1").directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
		pb.environment().putAll(MotoServer.env());
		Process monitor = pb.start();
		int exit;
		try {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
			// Its first reading is on screen: then Ctrl-C.
			while (!Files.readString(out).contains("machines")) {
				assertTrue(monitor.isAlive(), "ended early: " + Files.readString(out) + Files.readString(err));
				assertTrue(System.nanoTime() < deadline, "no reading: " + Files.readString(out) + Files.readString(err));
				Thread.sleep(50);
			}
			Process kill = new ProcessBuilder("kill", "-INT", Long.toString(monitor.pid())).start();
			assertEquals(0, kill.waitFor());
			assertTrue(monitor.waitFor(60, TimeUnit.SECONDS), "still running after SIGINT");
			exit = monitor.exitValue();
		}
		finally {
			monitor.destroyForcibly();
		}
		String said = Files.readString(out, StandardCharsets.UTF_8);

		assertEquals(Main.STOPPED, exit, said + Files.readString(err));
		assertTrue(said.contains("monitor stopped without tearing down: told to stop"), said);
		assertTrue(said.contains("still running: 2 machine(s) of the fleet (target 2), costing up to $0.50 an hour"), said);
		String resume = "parascope --config " + config + " monitor " + state;
		String cleanup = "parascope --config " + config + " cleanup " + state;
		List<String> lines = said.lines().toList();
		assertTrue(lines.contains("to watch it again:   " + resume), said);
		assertTrue(lines.contains("to tear it down now: " + cleanup), said);
		// Nothing was torn down.
		assertEquals(2, aws.sqs().listQueues(b -> b.queueNamePrefix("App")).queueUrls().size());
		assertEquals(FleetStateCode.ACTIVE, aws.ec2().describeFleets(b -> b.fleetIds(fleetId)).fleets().get(0).fleetState());
		assertEquals(null, RunState.read(state).extra().get(RunKeys.TEARDOWN));

		// The printed cleanup, word for word (it quotes nothing here: the paths have no spaces).
		List<String> words = Arrays.asList(cleanup.split(" "));
		Outcome cleaned = Outcome.runIn(dir, MotoServer.env(), words.subList(1, words.size()).toArray(String[]::new));

		assertEquals(0, cleaned.exit(), cleaned.out() + cleaned.err());
		assertEquals("done", RunState.read(state).extra().get(RunKeys.TEARDOWN));
		assertEquals(List.of(), aws.sqs().listQueues(b -> b.queueNamePrefix("App")).queueUrls(), "queues");
		assertFalse(aws.ec2().describeFleets(b -> b.fleetIds(fleetId)).fleets().stream()
			.anyMatch(f -> f.fleetState() == FleetStateCode.ACTIVE), "fleet");
		assertEquals(List.of(), aws.ec2().describeLaunchTemplates().launchTemplates(), "launch templates");
		assertEquals(List.of(), ExampleCloud.services(aws, "AppCluster"), "services");
		assertTrue(aws.cloudWatch().describeAlarms(b -> b.alarmNamePrefix("App_")).metricAlarms().isEmpty(), "alarms");
		assertEquals(List.of(), aws.cloudWatch().listDashboards().dashboardEntries(), "dashboards");
	}
}
