package org.parascope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
import org.parascope.queue.TaskQueue;
import org.parascope.submit.JobFiles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** submit --json and --upload, as the CellProfiler module runs them, against the emulator. */
@ExtendWith(MotoServer.class)
class SubmitJsonTest {

	@TempDir
	Path dir;

	private Path configFile;
	private AwsClients aws;

	@BeforeEach
	void config() throws Exception {
		configFile = Files.writeString(dir.resolve("config.py"), "APP_NAME = 'Cli'\nSQS_DEAD_LETTER_QUEUE = 'CliDead'\n"
			+ "SOURCE_BUCKET = 'cli-images'\nWORKSPACE_BUCKET = 'cli-workspace'\n");
		aws = new AwsClients(Config.defaults(), null, MotoServer.env());
		aws.s3().createBucket(b -> b.bucket("cli-images"));
		aws.s3().createBucket(b -> b.bucket("cli-workspace"));
	}

	@AfterEach
	void close() {
		aws.close();
	}

	private TaskQueue queue() {
		TestQueues.create(aws.sqs(), "CliQueue", "CliDead", 3, Duration.ofSeconds(60));
		return SqsTaskQueue.open(aws.sqs(), "CliQueue", "CliDead", "us-east-1");
	}

	private Outcome run(String... args) {
		List<String> all = new ArrayList<>(List.of("--config", configFile.toString()));
		all.addAll(List.of(args));
		return Outcome.runIn(dir, MotoServer.env(), all.toArray(String[]::new));
	}

	private Path uploadList() throws Exception {
		Files.createDirectories(dir.resolve("images folder"));
		Files.writeString(dir.resolve("images folder/A01_s1.png"), "image bytes");
		Files.writeString(dir.resolve("analysis.cppipe"), "CellProfiler Pipeline");
		return Files.writeString(dir.resolve("upload.json"), "{\"workspace\": {\"projects/analysis.cppipe\": \"analysis.cppipe\"},"
			+ " \"source\": {\"projects/images/A01_s1.png\": \"images folder/A01_s1.png\"}}");
	}

	private List<String> keys(String bucket) {
		return aws.s3().listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(o -> o.key()).toList();
	}

	@Test
	void submitStoresTheListedFilesThenPrintsOneJsonObject() throws Exception {
		TaskQueue q = queue();
		Path job = JobFiles.dcp(dir.resolve("job.json"), 12, 0);
		Outcome o = run("submit", job.toString(), "--upload", uploadList().toString(), "--json");
		assertEquals(Main.OK, o.exit(), o.err() + o.out());
		JsonNode result = new JsonMapper().readTree(o.out());
		assertEquals(12, result.path("taskCount").asLong());
		assertEquals(12, result.path("tasksSent").asLong());
		assertEquals(2, result.path("uploaded").asInt());
		assertEquals("CliQueue", result.path("queue").asText());
		assertEquals("us-east-1", result.path("region").asText());
		assertTrue(result.path("jobId").asText().startsWith("job-"), o.out());
		assertTrue(Files.isRegularFile(Path.of(result.path("manifest").asText())), o.out());
		assertEquals("parascope --config " + configFile + " monitor", result.path("monitor").asText());
		assertEquals(new QueueCounts(12, 0, 0), q.counts());
		assertEquals(List.of("projects/images/A01_s1.png"), keys("cli-images"));
		assertEquals(List.of("projects/analysis.cppipe"), keys("cli-workspace"));
		assertEquals("image bytes", aws.s3().getObjectAsBytes(b -> b.bucket("cli-images").key("projects/images/A01_s1.png"))
			.asUtf8String());
	}

	@Test
	void aFailureIsAJsonErrorWithThePlainMessageAndNothingIsStored() throws Exception {
		Path job = JobFiles.dcp(dir.resolve("job.json"), 2, 0);
		Outcome o = run("submit", job.toString(), "--upload", uploadList().toString(), "--json");
		assertEquals(Main.BAD_INPUT, o.exit());
		assertEquals("queue CliQueue does not exist in us-east-1: run 'parascope setup' first",
			new JsonMapper().readTree(o.out()).path("error").asText(), o.out());
		assertEquals(List.of(), keys("cli-images"), "the queue is checked before any file is stored");
		assertEquals(List.of(), keys("cli-workspace"));
	}

	@Test
	void aMissingFileInTheUploadListIsNamedBeforeAnythingIsSent() throws Exception {
		TaskQueue q = queue();
		Path job = JobFiles.dcp(dir.resolve("job.json"), 2, 0);
		Path list = Files.writeString(dir.resolve("upload.json"), "{\"source\": {\"projects/images/x.png\": \"missing.png\"}}");
		Outcome o = run("submit", job.toString(), "--upload", list.toString(), "--json");
		assertEquals(Main.BAD_INPUT, o.exit());
		assertEquals(list + ": source.\"projects/images/x.png\": no such file: " + dir.resolve("missing.png"),
			new JsonMapper().readTree(o.out()).path("error").asText());
		assertEquals(new QueueCounts(0, 0, 0), q.counts());
	}

	@Test
	void jsonProgressReportsFilesBytesAndTasksAsJsonLinesOnStderr() throws Exception {
		queue();
		Path job = JobFiles.dcp(dir.resolve("job.json"), 12, 0);
		Outcome o = run("submit", job.toString(), "--upload", uploadList().toString(), "--json", "--json-progress");
		assertEquals(Main.OK, o.exit(), o.err() + o.out());
		JsonMapper json = new JsonMapper();
		List<JsonNode> lines = new ArrayList<>();
		// Notes for people (the region used) are plain lines among them; a reader takes the lines that are objects.
		for (String line : o.err().lines().filter(l -> l.startsWith("{")).toList()) lines.add(json.readTree(line));
		assertTrue(o.err().lines().anyMatch(l -> l.startsWith("parascope: region us-east-1")), o.err());
		long imageBytes = "image bytes".length(), pipelineBytes = "CellProfiler Pipeline".length();
		assertEquals(json.readTree("{\"phase\":\"upload\",\"files\":2,\"bytes\":" + (imageBytes + pipelineBytes) + "}"),
			lines.get(0), o.err());
		assertEquals(List.of("projects/analysis.cppipe", "projects/images/A01_s1.png"),
			lines.stream().filter(l -> l.has("stored")).map(l -> l.path("stored").asText()).sorted().toList(), o.err());
		JsonNode send = lines.stream().filter(l -> l.has("phase") && l.path("phase").asText().equals("send")).findFirst().orElseThrow();
		assertEquals(12, send.path("taskCount").asLong());
		assertTrue(lines.indexOf(send) > 2, "the send phase begins after every file was stored: " + o.err());
		assertEquals(json.readTree("{\"sent\":12,\"taskCount\":12}"), lines.get(lines.size() - 1), o.err());
		assertEquals(12, json.readTree(o.out()).path("tasksSent").asLong());
	}

	@Test
	void jsonProgressNeedsJson() throws Exception {
		Path job = JobFiles.dcp(dir.resolve("job.json"), 2, 0);
		Outcome o = run("submit", job.toString(), "--json-progress");
		assertEquals(Main.BAD_INPUT, o.exit());
		assertTrue(o.err().contains("--json-progress: only with --json"), o.err());
	}

	@Test
	void withoutJsonTheTextSaysHowManyFilesWereStored() throws Exception {
		queue();
		Path job = JobFiles.dcp(dir.resolve("job.json"), 3, 0);
		Outcome o = run("submit", job.toString(), "--upload", uploadList().toString());
		assertEquals(Main.OK, o.exit(), o.err());
		assertTrue(o.out().startsWith("Stored 2 files in the buckets.\nSent 3 tasks"), o.out());
	}
}
