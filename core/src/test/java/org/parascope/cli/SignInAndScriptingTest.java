package org.parascope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.aws.AwsClients;
import org.parascope.aws.MotoServer;
import org.parascope.aws.RunResources;
import org.parascope.aws.queue.SqsTaskQueue;
import org.parascope.aws.TestQueues;
import org.parascope.config.Config;
import org.parascope.queue.TaskQueue;
import org.parascope.queue.TaskQueueContract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Signing in as AWS users do (the region and endpoint_url of a profile in the shared config file) and
 * scripting every verb (--json, errors as {"error"}, exit codes 2 and 3, --quiet, --debug), against
 * the emulator. The shared config file lives in a temporary home folder, never the machine's.
 */
@ExtendWith(MotoServer.class)
class SignInAndScriptingTest {

	private static final JsonMapper JSON = new JsonMapper();

	@TempDir
	Path dir;

	private Path home;
	private Path configFile;

	@BeforeEach
	void config() throws Exception {
		home = Files.createDirectories(dir.resolve("home"));
		Files.createDirectories(home.resolve(".aws"));
		configFile = Files.writeString(dir.resolve("config.py"), "APP_NAME = 'Cli'\nSQS_DEAD_LETTER_QUEUE = 'CliDead'\n");
	}

	/** The emulator's environment, with its own home folder and no region. */
	private Map<String, String> env() {
		Map<String, String> env = new HashMap<>(MotoServer.env());
		env.remove("AWS_REGION");
		env.put("HOME", home.toString());
		return env;
	}

	private Outcome run(Map<String, String> env, String... args) {
		List<String> all = new ArrayList<>(List.of("--config", configFile.toString()));
		all.addAll(List.of(args));
		return Outcome.runIn(dir, env, all.toArray(String[]::new));
	}

	private TaskQueue queue(String region) {
		try (AwsClients aws = new AwsClients(Config.defaults(), region, null, MotoServer.env())) {
			TestQueues.create(aws.sqs(), "CliQueue", "CliDead", 1, Duration.ofSeconds(60));
		}
		// Left open for the test's checks; the emulator is reset before the next test.
		AwsClients aws = new AwsClients(Config.defaults(), region, null, MotoServer.env());
		return SqsTaskQueue.open(aws.sqs(), "CliQueue", "CliDead", region);
	}

	private static JsonNode json(String line) throws Exception {
		return JSON.readTree(line);
	}

	@Test
	void theProfilesRegionAndItsServicesEndpointAreUsedAndTheRegionIsSaid() throws Exception {
		queue("eu-west-1").send(List.of(TaskQueueContract.task(1)));
		Path shared = Files.writeString(home.resolve(".aws/config"), """
			[profile lab]
			region = eu-west-1
			services = emulator

			[services emulator]
			sqs =
			  endpoint_url = %s
			""".formatted(MotoServer.endpoint()));
		Map<String, String> env = env();
		env.remove("AWS_ENDPOINT_URL");

		Outcome o = run(env, "--profile", "lab", "status", "--json");

		assertEquals(Main.OK, o.exit(), o.out() + o.err());
		JsonNode status = json(o.out());
		assertEquals("eu-west-1", status.path("region").asText());
		assertEquals(1, status.path("queue").path("waiting").asLong(), "the queue of eu-west-1 in the emulator");
		assertTrue(o.err().contains("parascope: region eu-west-1 (from profile 'lab' in " + shared + ")"), o.err());

		// The profile's own endpoint_url serves every service; AWS_DEFAULT_REGION beats the profile's region.
		Files.writeString(shared, "[default]\nregion = eu-west-1\nendpoint_url = " + MotoServer.endpoint() + "\n");
		queue("ap-south-1");
		env.put("AWS_DEFAULT_REGION", "ap-south-1");
		Outcome text = run(env, "status");
		assertEquals(Main.OK, text.exit(), text.err());
		assertTrue(text.out().startsWith("Queue CliQueue (ap-south-1): 0 waiting"), text.out());
		assertTrue(text.err().contains("region ap-south-1 (from AWS_DEFAULT_REGION)"), text.err());

		Outcome quiet = run(env, "status", "--quiet");
		assertEquals("", quiet.err());
		assertEquals(text.out(), quiet.out());
	}

	@Test
	void anUnknownRegionIsNamedAsSuchBeforeAnyCall() throws Exception {
		Map<String, String> env = env();
		env.remove("AWS_ENDPOINT_URL");
		Outcome o = run(env, "--region", "eu-wset-1", "status", "--json");
		assertEquals(Main.BAD_INPUT, o.exit());
		assertEquals("", o.out().lines().skip(1).reduce("", String::concat), "one line: " + o.out());
		assertTrue(json(o.out()).path("error").asText().startsWith("unknown AWS region 'eu-wset-1' (from --region) "
			+ "(did you mean eu-west-1?)"), o.out());

		Outcome text = run(env, "--region", "eu-wset-1", "status");
		assertEquals(Main.BAD_INPUT, text.exit());
		assertEquals("", text.out());
		assertTrue(text.err().startsWith("parascope: unknown AWS region 'eu-wset-1'"), text.err());
	}

	@Test
	void statusFailingIsJsonOnStdoutWithTheSameExitCodeAsText() throws Exception {
		Outcome json = run(env(), "--region", "us-east-1", "status", "--json");
		Outcome text = run(env(), "--region", "us-east-1", "status");
		assertEquals(Main.BAD_INPUT, json.exit());
		assertEquals(json.exit(), text.exit());
		String error = json(json.out()).path("error").asText();
		assertEquals("queue CliQueue does not exist in us-east-1: run 'parascope setup' first", error);
		assertTrue(text.err().contains(error), text.err());
	}

	@Test
	void noNetworkIsTryAgainLaterWithTheSdksReasonAndDebugShowsTheCauses() throws Exception {
		Map<String, String> env = env();
		env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:1");
		Outcome o = run(env, "--region", "us-east-1", "status", "--json", "--debug");
		assertEquals(Main.TRY_AGAIN, o.exit(), o.out() + o.err());
		String error = json(o.out()).path("error").asText();
		assertTrue(error.contains("Unable to execute HTTP request") && error.contains("127.0.0.1:1"), error);
		JsonNode causes = json(o.out()).path("causes");
		assertTrue(causes.toString().contains("java.net.ConnectException"), causes.toString());
		assertTrue(o.err().contains("--debug: the error and its causes") && o.err().contains("java.net.ConnectException"), o.err());

		Outcome plain = run(env, "--region", "us-east-1", "status");
		assertEquals(Main.TRY_AGAIN, plain.exit());
		assertFalse(plain.err().contains("java.net.ConnectException"), "no cause chain without --debug: " + plain.err());
	}

	@Test
	void aUsageErrorWithJsonIsJsonToo() throws Exception {
		Outcome o = Outcome.run(env(), "status", "--json", "--frobnicate");
		assertEquals(Main.BAD_INPUT, o.exit());
		assertTrue(json(o.out()).path("error").asText().contains("--frobnicate"), o.out());
	}

	@Test
	void initAccountSetupRetryFailedAndStartFleetReportAsJson() throws Exception {
		Map<String, String> env = env();
		env.put("AWS_REGION", "us-east-1");
		Files.writeString(configFile, "APP_NAME = 'App'\nECS_CLUSTER = 'AppCluster'\nAWS_BUCKET = 'results'\n"
			+ "DOCKERHUB_TAG = 'parascope/parascope:test'\n");
		Outcome roles = run(env, "init-account", "--json");
		assertEquals(Main.OK, roles.exit(), roles.out() + roles.err());
		assertTrue(json(roles.out()).path("resources").toString().contains("role AppTaskRole"), roles.out());

		Outcome setup = run(env, "setup", "--json");
		assertEquals(Main.OK, setup.exit(), setup.out() + setup.err());
		JsonNode resources = json(setup.out()).path("resources");
		assertEquals("us-east-1", json(setup.out()).path("region").asText());
		assertTrue(resources.toString().contains("AppQueue") && resources.size() >= 5, resources.toString());

		Outcome retry = run(env, "retry-failed", "--json", "--dry-run");
		assertEquals(Main.OK, retry.exit(), retry.err());
		assertEquals("{\"region\":\"us-east-1\",\"queue\":\"AppQueue\",\"dryRun\":true,\"tasks\":[],\"notTasks\":[]}", retry.out().strip());

		Outcome fleet = run(env, "start-fleet", "missing-fleet.json", "--json");
		assertEquals(Main.BAD_INPUT, fleet.exit());
		assertEquals("missing-fleet.json: no such fleet file", json(fleet.out()).path("error").asText());
	}

	@Test
	void cleanupAndMonitorReportAsJson() throws Exception {
		Map<String, String> env = env();
		env.put("AWS_REGION", "us-east-1");
		Files.writeString(configFile, "APP_NAME = 'App'\nECS_CLUSTER = 'AppCluster'\nAWS_BUCKET = 'results'\n");

		// A run whose resources are gone already: what cleanup reports, without waiting on a real teardown.
		RunResources.state("sfr-1", "AppCluster").write(dir.resolve("files/AppSpotFleetRequestId.json"));
		Outcome cleanup = run(env, "cleanup", "--json");
		JsonNode report = json(cleanup.out());
		assertEquals(Main.OK, cleanup.exit(), cleanup.out() + cleanup.err());
		assertTrue(report.path("complete").asBoolean(), cleanup.out());
		assertTrue(report.path("resources").toString().contains("already gone: "), cleanup.out());
		assertEquals(0, report.path("problems").size(), cleanup.out());
		assertEquals(1, cleanup.out().lines().count(), "one object: " + cleanup.out());

		Outcome monitor = run(env, "monitor", "--json");
		assertEquals(Main.OK, monitor.exit(), monitor.err());
		List<JsonNode> lines = new ArrayList<>();
		for (String line : monitor.lines()) lines.add(json(line));
		assertTrue(lines.get(0).path("note").asText().contains("already torn down"), monitor.out());
		assertEquals("already-torn-down", lines.get(lines.size() - 1).path("ending").asText(), monitor.out());
	}
}
