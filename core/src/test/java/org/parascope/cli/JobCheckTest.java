package org.parascope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.aws.AwsClients;
import org.parascope.aws.MotoServer;
import org.parascope.aws.queue.SqsTaskQueue;
import org.parascope.aws.TestQueues;
import org.parascope.config.Config;
import org.parascope.queue.QueueCounts;

import software.amazon.awssdk.core.sync.RequestBody;

/** job check and submit --dry-run: offline without credentials, the buckets' objects with them (against moto). */
@ExtendWith(MotoServer.class)
class JobCheckTest {

	@TempDir
	Path dir;

	private Path config;
	private AwsClients aws;

	@BeforeEach
	void setUp() throws Exception {
		config = Files.writeString(dir.resolve("config.py"), "APP_NAME = 'Check'\nSQS_DEAD_LETTER_QUEUE = 'CheckDead'\n"
			+ "SOURCE_BUCKET = 'images'\nWORKSPACE_BUCKET = 'workspace'\nDESTINATION_BUCKET = 'results'\n");
		aws = new AwsClients(Config.defaults(), null, MotoServer.env());
	}

	@AfterEach
	void close() {
		aws.close();
	}

	/** A native job: pipeline and one data file per plate in the workspace, 12 inputs in one folder and 1 in another. */
	private Path job() throws Exception {
		StringBuilder tasks = new StringBuilder();
		for (int i = 0; i < 12; i++) {
			tasks.append(i == 0 ? "" : ",").append("{\"metadata\": {\"image\": \"i").append(i).append("\"}, \"inputs\": [\"plate1/i")
				.append(i).append(".tif\"], \"data_file\": \"csv/P").append(i % 2).append(".csv\"}");
		}
		tasks.append(",{\"metadata\": {\"image\": \"x\"}, \"inputs\": [\"other/x.tif\"]}");
		return Files.writeString(dir.resolve("job.json"), "{\"parascope_job\": 1, \"engine\": \"cellprofiler\", \"script\": "
			+ "\"pipelines/a.cppipe\", \"output\": \"out\", \"data_file\": \"csv/all.csv\", \"tasks\": [" + tasks + "]}");
	}

	private Outcome run(String... args) {
		return Outcome.withConfig(dir, MotoServer.env(), config, args);
	}

	@Test
	void checkSaysValidAndWhatItCouldNotCheck() throws Exception {
		Outcome o = Outcome.runIn(dir, Map.of(), "job", "check", job().toString());
		assertEquals(Main.OK, o.exit(), o.err());
		assertEquals(List.of("Job " + job() + " (NATIVE format): 13 tasks, all valid.", JobCheckCommand.NOT_CHECKED), o.lines());
	}

	@Test
	void checkReportsEveryProblemWithItsJsonPath() throws Exception {
		Path bad = Files.writeString(dir.resolve("bad.json"), "{\"pipeline\": \"p.cppipe\", \"output\": 3, \"outputs\": \"x\", "
			+ "\"groups\": [{\"Metadata\": \"Metadata_Plate\"}, {\"Metadata\": \"Metadata_Plate=P1\"}, {\"Metadata\": \"Metadata_Plate=P1\"}]}");
		Outcome o = Outcome.runIn(dir, Map.of(), "job", "check", bad.toString());
		assertEquals(Main.BAD_INPUT, o.exit());
		for (String line : List.of("bad.json: missing key \"data_file\"", "bad.json: output: expected a string, got 3",
			"bad.json: outputs: unknown key", "bad.json: groups[0].Metadata: expected \"Key=Value,Key=Value\", got \"Metadata_Plate\"",
			"bad.json: groups[2]: metadata id \"P1\" is also the id of groups[1]")) {
			assertTrue(o.err().contains(line), line + " in:\n" + o.err());
		}
	}

	/** The one job-name rule, for faces that cannot link core (the CellProfiler module runs this). */
	@Test
	void aNameIsCheckedByTheOneJobNameRule() {
		Outcome valid = Outcome.runIn(dir, Map.of(), "job", "check", "--name", "plate1_2024-05.v2");
		assertEquals(Main.OK, valid.exit(), valid.err());
		assertEquals(List.of("Job name 'plate1_2024-05.v2' is valid."), valid.lines());
		for (String bad : List.of("my plate", "-plate", "p".repeat(101), "")) {
			Outcome o = Outcome.runIn(dir, Map.of(), "job", "check", "--name", bad);
			assertEquals(Main.BAD_INPUT, o.exit(), bad);
			assertEquals("parascope: job name '" + bad + "': use letters, digits, '.', '_' and '-', starting with a letter or "
				+ "digit, at most 100 characters", o.err().strip(), bad);
		}
		Outcome neither = Outcome.runIn(dir, Map.of(), "job", "check");
		assertEquals(Main.BAD_INPUT, neither.exit());
		assertTrue(neither.err().contains("give a job file or --name NAME"), neither.err());
	}

	/** In a JVM without any credentials (the test JVM has the emulator's): nothing reaches AWS, exit 0. */
	@Test
	void aDryRunWithoutCredentialsChecksTheFileAndSaysWhatItCouldNot() throws Exception {
		Path job = job();
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
			System.getProperty("java.class.path"), Main.class.getName(), "--config", config.toString(), "submit", job.toString(),
			"--dry-run"));
		ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
			.redirectError(dir.resolve("err.txt").toFile());
		pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
		pb.environment().putAll(Map.of("HOME", dir.toString(), "AWS_EC2_METADATA_DISABLED", "true", "AWS_REGION", "us-east-1",
			"AWS_CONFIG_FILE", dir.resolve("none").toString(), "AWS_SHARED_CREDENTIALS_FILE", dir.resolve("none").toString(),
			// Were anything sent, it would go here and fail: the emulator is not running on port 9.
			"AWS_ENDPOINT_URL", "http://127.0.0.1:9"));
		Process p = pb.start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertTrue(p.waitFor(60, TimeUnit.SECONDS));
		assertEquals(0, p.exitValue(), out + Files.readString(dir.resolve("err.txt")));
		assertEquals(List.of("Job " + job + " (NATIVE format): 13 tasks, all valid.", JobCheckCommand.NOT_CHECKED), out.lines().toList());
	}

	@Test
	void aDryRunWithCredentialsNamesEveryMissingObjectAndChangesNothing() throws Exception {
		TestQueues.create(aws.sqs(), "CheckQueue", "CheckDead", 3, Duration.ofSeconds(60));
		aws.s3().createBucket(b -> b.bucket("images"));
		aws.s3().createBucket(b -> b.bucket("workspace"));
		put("workspace", "csv/P0.csv");
		for (int i = 0; i < 12; i++) if (i != 5 && i != 7) put("images", "plate1/i" + i + ".tif");
		Outcome o = run("submit", job().toString(), "--dry-run");
		assertEquals(Main.BAD_INPUT, o.exit(), o.out());
		String err = o.err();
		assertTrue(err.contains("7 problems (nothing was sent)"), err);
		for (String line : List.of("DESTINATION_BUCKET s3://results: bucket results does not exist or is not yours",
			"WORKSPACE_BUCKET s3://workspace: no object csv/P1.csv", "WORKSPACE_BUCKET s3://workspace: no object csv/all.csv",
			"WORKSPACE_BUCKET s3://workspace: no object pipelines/a.cppipe", "SOURCE_BUCKET s3://images: no input other/x.tif",
			"SOURCE_BUCKET s3://images: no input plate1/i5.tif", "SOURCE_BUCKET s3://images: no input plate1/i7.tif")) {
			assertTrue(err.contains("\n  " + line + "\n") || err.endsWith("\n  " + line + "\n"), line + " in:\n" + err);
		}
		assertEquals(new QueueCounts(0, 0, 0), SqsTaskQueue.open(aws.sqs(), "CheckQueue", "CheckDead", "us-east-1").counts());
		assertEquals(List.of("images", "workspace"), aws.s3().listBuckets().buckets().stream().map(b -> b.name()).sorted().toList());

		aws.s3().createBucket(b -> b.bucket("results"));
		for (String key : List.of("csv/P1.csv", "csv/all.csv", "pipelines/a.cppipe")) put("workspace", key);
		for (String key : List.of("other/x.tif", "plate1/i5.tif", "plate1/i7.tif")) put("images", key);
		Outcome ok = run("submit", job().toString(), "--dry-run");
		assertEquals(Main.OK, ok.exit(), ok.err());
		assertTrue(ok.out().contains("13 tasks, all valid; the buckets hold every object it names.")
			&& ok.out().contains("Nothing was sent (--dry-run)."), ok.out());
	}

	private void put(String bucket, String key) {
		aws.s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("x"));
	}
}
