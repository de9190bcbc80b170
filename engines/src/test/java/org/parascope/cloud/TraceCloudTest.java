package org.parascope.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.aws.AwsClients;
import org.parascope.aws.MotoServer;
import org.parascope.aws.store.S3ObjectStore;
import org.parascope.aws.queue.SqsTaskQueue;
import org.parascope.aws.TestQueues;
import org.parascope.cli.Main;
import org.parascope.cli.Outcome;
import org.parascope.config.Config;
import org.parascope.job.Engine;
import org.parascope.job.Task;
import org.parascope.report.Chromium;
import org.parascope.report.Ec2SpotPrices;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The trace of real worker processes on the emulator (SQS, S3, and moto's instance metadata service,
 * which answers IMDSv2 with instance i-fake of type moto.virtual in us-east-1a), one of them killed with
 * SIGKILL mid-task; then the run's report made from the trace in the bucket and opened in chromium.
 */
@ExtendWith(MotoServer.class)
class TraceCloudTest {

	static final String APP = "Traced", BUCKET = "traced-bucket", QUEUE = APP + "Queue", DEAD = APP + "DeadMessages";
	static final String PREFIX = "parascope/runs/" + APP + "/trace/";

	@TempDir
	Path dir;

	private AwsClients aws;
	private Path runs, hold;
	private final List<Process> children = new ArrayList<>();

	@BeforeEach
	void resources() throws IOException {
		aws = new AwsClients(Config.defaults(), null, MotoServer.env());
		aws.s3().createBucket(b -> b.bucket(BUCKET));
		aws.logs().createLogGroup(b -> b.logGroupName(APP));
		runs = dir.resolve("runs.log");
		hold = dir.resolve("hold");
		Path macro = Files.writeString(dir.resolve("m.ijm"), """
			#@ String image
			File.append(image, "%s");
			while (File.exists("%s")) wait(100);
			if (image == "poison") run("No Such Command Anywhere");
			File.saveString(image, output + "/" + image + ".txt");
			""".formatted(slashes(runs), slashes(hold)));
		S3ObjectStore.of(aws, BUCKET).put("m.ijm", macro);
	}

	@AfterEach
	void end() {
		children.forEach(Process::destroyForcibly);
		aws.close();
	}

	@Test
	void aKilledWorkersTryIsInTheTraceAsUnfinishedAndTheReportShowsTheRun() throws Exception {
		Instant begin = Instant.now().minusSeconds(1);
		TestQueues.create(aws.sqs(), QUEUE, DEAD, 3, Duration.ofSeconds(2));
		SqsTaskQueue queue = SqsTaskQueue.open(aws.sqs(), QUEUE, DEAD, "us-east-1");
		Files.createFile(hold);
		queue.send(List.of(task("a")));
		Process first = worker("--idle-exit", "60");
		awaitRuns(1, first);
		// The start record goes out within TRACE_SECONDS (1 s here), before the engine has finished.
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (traceObjects().isEmpty()) {
			assertTrue(System.nanoTime() < deadline, "no trace batch within 30 s\n" + output(first));
			Thread.sleep(200);
		}
		first.destroyForcibly(); // SIGKILL: no hook runs, nothing more is written
		assertTrue(first.waitFor(30, TimeUnit.SECONDS));
		Files.delete(hold);
		queue.send(List.of(task("poison")));

		// A generous idle exit: on moto, a worker's first receive after its first (long, ImageJ-starting) try has
		// been seen to come back empty for several seconds with a task waiting.
		Process second = worker("--idle-exit", "30");
		assertEquals(0, exit(second), output(second));
		assertTrue(output(second).contains("trace: s3://" + BUCKET + "/" + PREFIX), output(second));

		// The fleet's state file, as start-fleet writes it: the report takes the tries since its start.
		Path state = Files.writeString(dir.resolve("state.json"), """
			{"MONITOR_FLEET_ID": "sfr-1", "MONITOR_APP_NAME": "%s", "MONITOR_ECS_CLUSTER": "default",
			 "MONITOR_QUEUE_NAME": "%s", "MONITOR_BUCKET_NAME": "%s", "MONITOR_LOG_GROUP_NAME": "%s",
			 "MONITOR_START_TIME": %d}
			""".formatted(APP, QUEUE, BUCKET, APP, begin.toEpochMilli()));
		Outcome json = Outcome.runIn(dir, env(), "report", state.toString(), "--json");
		assertEquals(0, json.exit(), json.err());
		JsonNode figures = JsonMapper.builder().build().readTree(json.out());
		JsonNode summary = figures.get("summary");
		assertEquals(2, summary.get("tasks").asInt(), json.out() + "\n" + output(first) + "\n" + output(second) + "\nruns: "
			+ Files.readAllLines(runs) + "\nqueue: " + queue.counts() + ", dead: " + queue.deadTasks());
		assertEquals(1, summary.get("tasksSucceeded").asInt());
		assertEquals(1, summary.get("tasksFailed").asInt());
		assertEquals(1, summary.at("/triesByOutcome/unfinished").asInt(), "the killed worker's try");
		assertEquals(3, summary.at("/triesByOutcome/failed").asInt(), "poison, JOB_RETRIES = 3 times");
		JsonNode machine = figures.at("/cost/machines/0");
		assertEquals("i-fake", machine.get("machine").asText(), "from IMDSv2");
		assertEquals("moto.virtual", machine.get("instanceType").asText());
		assertEquals("us-east-1a", machine.get("zone").asText());

		Outcome html = Outcome.runIn(dir, env(), "report", state.toString(), "--output", "report.html");
		assertEquals(0, html.exit(), html.err());
		assertTrue(html.out().contains("Report: " + dir.resolve("report.html").toAbsolutePath()), html.out());
		Chromium chromium = Chromium.installed();
		String dom = chromium.dumpDom(dir.resolve("report.html"), 2000);
		assertTrue(dom.contains("data-key=\"tries unfinished\">1<"), "one unfinished try shown");
		assertTrue(Pattern.compile("macro error: Unrecognized command: \"No Such Command Anywhere\"[^<]*</td><td>3</td>")
			.matcher(dom).find(), "the poison task's reason, three tries");
		assertTrue(dom.contains("parascope logs 'image=poison'"), "how to read its log");
		assertTrue(dom.contains("unfinished: no end was recorded"), "the killed try among the failures");
		chromium.screenshot(dir.resolve("report.html"), Path.of("target", "report-emulator-run.png"), 820, 2000);
		Files.copy(dir.resolve("report.html"), Path.of("target", "report-emulator-run.html"), StandardCopyOption.REPLACE_EXISTING);
	}

	/**
	 * Spot price history as moto gives it: one price per type and zone it offers, $0.00001 an hour, stamped
	 * 2006, whatever the window asked (AWS lists each change in the window); so a machine's cost is its
	 * hours at that price.
	 */
	@Test
	void aMachinesSpotCostIsItsHoursAtThePriceHistory() {
		Ec2SpotPrices prices = new Ec2SpotPrices(aws.ec2());
		Instant from = Instant.parse("2026-01-05T10:00:00Z");
		double cost = prices.cost("m5.large", "us-east-1a", from, from.plus(Duration.ofHours(2))).orElseThrow();
		assertEquals(0.00002, cost, 1e-12);
		assertEquals(0.00001, prices.latest(List.of("m5.large", "c5.xlarge")).get("c5.xlarge"), 1e-12);
		var spec = prices.specs(List.of("m5.large")).get("m5.large");
		assertEquals(2, spec.vcpus());
		assertEquals(8192, spec.memoryMiB());
	}

	private List<String> traceObjects() {
		return S3ObjectStore.of(aws, BUCKET).list(PREFIX).map(o -> o.key()).toList();
	}

	private static Task task(String image) {
		return new Task(image, Engine.FIJI, "m.ijm", Map.of("image", image), Map.of(), List.of(), null, null, "out/" + image);
	}

	/** The config as a task definition gives it, and moto as the instance metadata service. */
	private static Map<String, String> env() {
		Map<String, String> env = new LinkedHashMap<>(MotoServer.env());
		env.putAll(Map.of("APP_NAME", APP, "AWS_BUCKET", BUCKET, "DOCKER_CORES", "1", "SECONDS_TO_START", "0",
			"RETRY_DELAY", "0", "TRACE_SECONDS", "1", "AWS_EC2_METADATA_SERVICE_ENDPOINT", MotoServer.endpoint().toString()));
		return env;
	}

	private Process worker(String... args) throws IOException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
			"--add-opens", "java.base/java.lang=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
			"worker", "--scratch", "scratch"));
		command.addAll(List.of(args));
		int n = children.size();
		ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
			.redirectOutput(dir.resolve("out-" + n + ".txt").toFile()).redirectError(dir.resolve("err-" + n + ".txt").toFile());
		pb.environment().putAll(env());
		Process p = pb.start();
		children.add(p);
		return p;
	}

	private int exit(Process p) throws InterruptedException {
		assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the worker did not end\n" + output(p));
		return p.exitValue();
	}

	private String output(Process p) {
		int n = children.indexOf(p);
		try {
			return Files.readString(dir.resolve("out-" + n + ".txt"), StandardCharsets.UTF_8)
				+ Files.readString(dir.resolve("err-" + n + ".txt"), StandardCharsets.UTF_8);
		}
		catch (IOException e) {
			return "(no output: " + e + ")";
		}
	}

	private void awaitRuns(int n, Process p) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (!Files.exists(runs) || Files.readAllLines(runs).size() < n) {
			assertTrue(p.isAlive(), "the worker ended early\n" + output(p));
			assertTrue(System.nanoTime() < deadline, "no task started within 60 s\n" + output(p));
			Thread.sleep(100);
		}
	}

	private static String slashes(Path p) {
		return p.toString().replace('\\', '/');
	}
}
