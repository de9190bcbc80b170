package org.parascope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.aws.AwsClients;
import org.parascope.aws.MotoServer;
import org.parascope.aws.queue.SqsTaskQueue;
import org.parascope.aws.TestQueues;
import org.parascope.config.Config;
import org.parascope.job.Job;
import org.parascope.job.Task;
import org.parascope.job.TaskMessage;
import org.parascope.queue.QueueCounts;

/** parascope job batch: its three outputs, as a user runs them. */
@ExtendWith(MotoServer.class)
class JobBatchCommandTest {

	@TempDir
	Path dir;

	private static final String[] QC = { "job", "batch", "qc", "proj", "b1", "P1,P2", "--rows", "A,B", "--columns", "1,10" };

	private Outcome run(String... args) {
		return Outcome.runIn(dir, Map.of(), args);
	}

	private static String[] plus(String[] base, String... more) {
		List<String> all = new ArrayList<>(List.of(base));
		all.addAll(List.of(more));
		return all.toArray(String[]::new);
	}

	@Test
	void printWritesOneMessagePerLineInTheScriptsOrder() {
		Outcome o = run(plus(QC, "--print"));
		assertEquals(Main.OK, o.exit(), o.err());
		assertEquals(8, o.lines().size());
		assertEquals("{\"Metadata\": \"Metadata_Plate=P1,Metadata_Well=A01\", \"pipeline\": \"projects/proj/workspace/pipelines/b1/qc.cppipe\", "
			+ "\"output\": \"projects/proj/workspace/qc/b1/results\", \"input\": \"projects/proj/workspace/qc/b1/rules\", "
			+ "\"data_file\": \"projects/proj/workspace/load_data_csv/b1/P1/load_data.csv\"}", o.lines().get(0));
		assertTrue(o.lines().get(7).startsWith("{\"Metadata\": \"Metadata_Plate=P2,Metadata_Well=B10\""), o.lines().get(7));
	}

	/** The job file's tasks are those a worker makes of the script's messages (ids aside: a body has no index). */
	@Test
	void theJobFileHoldsTheTasksOfTheMessages() {
		Outcome o = run(plus(QC, "--print", "-o", "qc.json"));
		assertEquals(Main.OK, o.exit(), o.err());
		Job job = Job.read(dir.resolve("qc.json"));
		assertEquals("proj_QC", job.name());
		assertEquals(Job.Format.NATIVE, job.format());
		List<Task> fromFile = new ArrayList<>();
		job.forEachTask(fromFile::add);
		assertEquals(8, fromFile.size());
		for (int i = 0; i < 8; i++) {
			Task fromMessage = TaskMessage.decode(o.lines().get(i));
			Task t = fromFile.get(i);
			assertEquals(new Task(t.id(), fromMessage.engine(), fromMessage.script(), fromMessage.metadata(), fromMessage.parameters(),
				fromMessage.inputs(), fromMessage.dataFile(), fromMessage.inputFolder(), fromMessage.output()), t);
		}
		assertEquals("projects/proj/workspace/load_data_csv/b1/P2/load_data.csv", fromFile.get(7).dataFile());
		assertEquals("projects/proj/workspace/qc/b1/results/P2-B10", fromFile.get(7).output());

		// analysis: an output_structure and, with --use-batch, one data file for all.
		Outcome analysis = run("job", "batch", "analysis", "proj", "b1", "P1", "--wells", "A01", "--sites", "1,2", "--use-batch",
			"--print", "-o", "analysis.json", "--name", "my-analysis");
		assertEquals(Main.OK, analysis.exit(), analysis.err());
		Job a = Job.read(dir.resolve("analysis.json"));
		assertEquals("my-analysis", a.name());
		List<Task> tasks = new ArrayList<>();
		a.forEachTask(tasks::add);
		assertEquals("projects/proj/workspace/analysis/b1/P1/analysis/P1-A01-2", tasks.get(1).output());
		assertEquals(TaskMessage.decode(analysis.lines().get(1)).output(), tasks.get(1).output());
		assertEquals("projects/proj/workspace/batchfiles/b1/Batch_data_analysis.h5", tasks.get(1).dataFile());
	}

	@Test
	void wrongArgumentsAreInputErrorsAndWriteNothing() {
		Outcome none = run(QC);
		assertEquals(Main.BAD_INPUT, none.exit());
		assertEquals("parascope: job batch: say what to make: --print, -o FILE and/or --submit", none.err().strip());

		Outcome bad = run("job", "batch", "segment", "p", "b", "P1", "-o", "x.json");
		assertEquals(Main.BAD_INPUT, bad.exit());
		assertTrue(bad.err().contains("STEP: expected one of zproj, illum, qc, qc_persite, assaydev, assaydev_persite, analysis, "
			+ "got 'segment'"), bad.err());
		Outcome columns = run(plus(QC, "--columns", "1,x", "--plate-format", "48", "-o", "x.json"));
		assertEquals(Main.BAD_INPUT, columns.exit());
		assertTrue(columns.err().contains("--plate-format: expected 96 or 384, got '48'; --columns: expected whole numbers, got 'x'"),
			columns.err());
		assertFalse(Files.exists(dir.resolve("x.json")));
	}

	@Test
	void submitSendsTheTasksToTheConfigsQueue() throws Exception {
		Path config = Files.writeString(dir.resolve("config.py"), "APP_NAME = 'Batch'\nSQS_DEAD_LETTER_QUEUE = 'BatchDead'\n");
		try (AwsClients aws = new AwsClients(Config.defaults(), null, MotoServer.env())) {
			TestQueues.create(aws.sqs(), "BatchQueue", "BatchDead", 3, Duration.ofSeconds(60));
			Outcome o = Outcome.withConfig(dir, MotoServer.env(), config, plus(QC, "--submit"));
			assertEquals(Main.OK, o.exit(), o.err());
			assertTrue(o.err().contains("Sent 8 tasks of files/proj_QC.json to queue BatchQueue."), o.err());
			assertEquals(new QueueCounts(8, 0, 0), SqsTaskQueue.open(aws.sqs(), "BatchQueue", "BatchDead", "us-east-1").counts());
		}
	}

	/** A million tasks in a JVM of 32 MB: the tasks are made and written one at a time, never held. */
	@Test
	void aMillionTaskPrintRunsInFlatMemory() throws Exception {
		List<String> plates = new ArrayList<>();
		for (int i = 0; i < 290; i++) plates.add("P" + i);
		Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx32m",
			"-cp", System.getProperty("java.class.path"), Main.class.getName(), "job", "batch", "analysis", "p", "b",
			String.join(",", plates), "--print").redirectError(dir.resolve("err.txt").toFile()).start();
		long lines = 0;
		String last = null;
		try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
			for (String line = out.readLine(); line != null; line = out.readLine()) {
				lines++;
				last = line;
			}
		}
		assertTrue(child.waitFor(120, TimeUnit.SECONDS), "still running");
		assertEquals(0, child.exitValue(), Files.readString(dir.resolve("err.txt")));
		assertEquals(290L * 384 * 9, lines);
		assertTrue(last.startsWith("{\"Metadata\": \"Metadata_Plate=P289,Metadata_Well=P24,Metadata_Site=9\""), last);
	}
}
