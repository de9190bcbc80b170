package org.parascope.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.Parascope;
import org.parascope.aws.AwsClients;
import org.parascope.aws.MotoServer;
import org.parascope.aws.store.S3ObjectStore;
import org.parascope.aws.queue.SqsTaskQueue;
import org.parascope.cli.Outcome;
import org.parascope.config.Config;
import org.parascope.fleet.LocalFleet;
import org.parascope.job.Task;
import org.parascope.queue.QueueCounts;
import org.parascope.worker.TaskLog;
import org.parascope.worker.WorkerListener;

/**
 * A Distributed-Fiji user's run, against the AWS API emulator: their config.py with SCRIPT_DOWNLOAD_URL
 * naming a Jython script in S3, their job file of 50 groups with shared_metadata, setup and submit
 * through the command line, and cloud workers (the local fleet's threads, as the emulator's ECS starts
 * no containers) running the script in the warm SciJava runtime.
 */
@ExtendWith(MotoServer.class)
class DistributedFijiRunTest {

	static final String BUCKET = "df-bucket";
	static final int GROUPS = 50;

	@TempDir
	Path workDir;

	@Test
	void fiftyGroupsRunTheDownloadedScriptIntoTheirOwnFolders() throws Exception {
		Path configFile = workDir.resolve("config.py");
		Files.writeString(configFile, """
			APP_NAME = 'FijiStitch'
			DOCKERHUB_TAG = 'distributedscience/distributed-fiji:latest'
			AWS_REGION = 'us-east-1'
			AWS_BUCKET = '%s'
			ECS_CLUSTER = 'default'
			CLUSTER_MACHINES = 1
			DOCKER_CORES = 3
			MEMORY = 7500
			SQS_QUEUE_NAME = APP_NAME + 'Queue'
			SQS_MESSAGE_VISIBILITY = 60
			SQS_DEAD_LETTER_QUEUE = APP_NAME + 'DeadMessages'
			JOB_RETRIES = 3
			LOG_GROUP_NAME = APP_NAME
			CREATE_DASHBOARD = 'False'
			SCRIPT_DOWNLOAD_URL = 's3://%s/scripts/tile_report.py'
			""".formatted(BUCKET, BUCKET));
		Path script = workDir.resolve("tile_report.py");
		// As DF scripts do: values as #@String parameters, results into the relative output/ folder.
		Files.writeString(script, """
			#@String plate
			#@String well
			#@String channel
			import os
			folder = os.path.join('output', plate + '-' + well)
			os.makedirs(folder)
			with open(os.path.join(folder, 'report.txt'), 'w') as f:
			    f.write('%s %s %s' % (plate, well, channel))
			print('reported ' + well)
			""");
		StringBuilder groups = new StringBuilder();
		for (int i = 0; i < GROUPS; i++) {
			groups.append(i == 0 ? "" : ",\n").append("    {\"plate\": \"P1\", \"well\": \"W%02d\"}".formatted(i));
		}
		Path job = workDir.resolve("job.json");
		Files.writeString(job, """
			{
			  "_comment1": "Distributed-Fiji job file",
			  "output_file_location": "projects/stitch/results",
			  "shared_metadata": {"channel": "DAPI"},
			  "groups": [
			%s
			  ]
			}
			""".formatted(groups));

		Map<String, String> env = MotoServer.env();
		Config config = Config.load(configFile, env, w -> {});
		try (AwsClients aws = new AwsClients(config, null, env); Parascope parascope = new Parascope(config, aws)) {
			aws.s3().createBucket(b -> b.bucket(BUCKET));
			S3ObjectStore.of(aws, BUCKET).put("scripts/tile_report.py", script);

			assertEquals(0, cli("init-account").exit());
			Outcome setup = cli("setup");
			assertEquals(0, setup.exit(), setup.out() + setup.err());
			Outcome submitted = cli("submit", job.toString());
			assertEquals(0, submitted.exit(), submitted.out() + submitted.err());

			SqsTaskQueue queue = SqsTaskQueue.open(aws, config);
			List<String> failures = Collections.synchronizedList(new ArrayList<>());
			WorkerListener listener = new WorkerListener() {
				@Override
				public void failed(Task task, int attempt, int maxAttempts, String reason, TaskLog log) {
					failures.add(task.label() + ": " + reason + "\n" + String.join("\n", log.tail(15)));
				}
			};
			try (LocalFleet workers = new LocalFleet(n -> parascope.cloudWorker("worker-" + n, listener,
				workDir.resolve("scratch-" + n)))) {
				workers.start(3);
				long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
				while (!queue.counts().drained() && System.nanoTime() < deadline) Thread.sleep(500);
			}
			QueueCounts left = queue.counts();
			assertTrue(left.drained(), "queue: " + left);
			assertEquals(List.of(), failures.stream().limit(2).toList(), "failed tasks");

			S3ObjectStore results = S3ObjectStore.of(aws, BUCKET);
			List<String> keys = results.list("projects/stitch/results/").map(o -> o.key()).sorted().toList();
			List<String> expected = new ArrayList<>();
			for (int i = 0; i < GROUPS; i++) expected.add("projects/stitch/results/P1-W%02d/report.txt".formatted(i));
			assertEquals(expected, keys);
			Path report = workDir.resolve("report.txt");
			results.get("projects/stitch/results/P1-W07/report.txt", report);
			assertEquals("P1 W07 DAPI", Files.readString(report));

			Outcome log = cli("logs", "plate=P1, well=W07");
			assertEquals(0, log.exit(), log.out() + log.err());
			assertTrue(log.out().contains("reported W07"), log.out());
		}
	}

	private Outcome cli(String... args) {
		return Outcome.withConfig(workDir, MotoServer.env(), workDir.resolve("config.py"), args);
	}
}
