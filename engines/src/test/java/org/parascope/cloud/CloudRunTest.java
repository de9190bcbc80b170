package org.parascope.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.Parascope;
import org.parascope.aws.AwsClients;
import org.parascope.aws.ExampleCloud;
import org.parascope.aws.MotoServer;
import org.parascope.aws.store.S3ObjectStore;
import org.parascope.cli.Outcome;
import org.parascope.config.Config;
import org.parascope.fleet.LocalFleet;
import org.parascope.worker.WorkerListener;


/**
 * The whole AWS lifecycle of a Distributed-CellProfiler user, against the AWS API emulator: their
 * config.py and fleet file, the nuclei job, init-account, setup (twice), submit, start-fleet, workers
 * draining the emulator's queue into its S3, monitor seeing completion and tearing everything down.
 * The emulator's ECS starts no containers, so the workers are the local fleet's threads running the
 * real worker loop and real ImageJ against the emulator's SQS and S3.
 */
@ExtendWith(MotoServer.class)
class CloudRunTest {

	static final Path EXAMPLES = Path.of("../examples").toAbsolutePath().normalize();
	static final Path CONFIG = EXAMPLES.resolve("aws/config.py");
	static final String BUCKET = "your-bucket-name"; // as the example config.py says
	static final String APP = "ParascopeNuclei";

	@TempDir
	Path workDir;

	@Test
	void setupSubmitStartFleetWorkMonitorAndNothingIsLeft() throws Exception {
		Map<String, String> env = MotoServer.env();
		Config config = Config.load(CONFIG, env, w -> {});
		try (AwsClients aws = new AwsClients(config, null, env); Parascope parascope = new Parascope(config, aws)) {
			aws.s3().createBucket(b -> b.bucket(BUCKET));
			Map<String, Path> dataset = new LinkedHashMap<>();
			Path nuclei = EXAMPLES.resolve("nuclei");
			dataset.put("count_nuclei.ijm", nuclei.resolve("count_nuclei.ijm"));
			try (Stream<Path> images = Files.list(nuclei.resolve("images"))) {
				images.forEach(p -> dataset.put("images/" + p.getFileName(), p));
			}
			S3ObjectStore.of(aws, BUCKET).putAll(dataset, (key, bytes) -> {});

			assertEquals(0, cli("init-account").exit());
			assertEquals(0, cli("setup").exit());
			Outcome again = cli("setup");
			assertEquals(0, again.exit());
			assertTrue(again.out().lines().allMatch(l -> l.contains("unchanged")), again.out());

			Outcome submitted = cli("submit", nuclei.resolve("job.json").toString());
			assertEquals(0, submitted.exit(), submitted.out());
			assertEquals(2, cli("submit", nuclei.resolve("job.json").toString()).exit(), "the same job twice is refused");

			Path fleetFile = ExampleCloud.userFleetFile(aws, workDir);
			// The monitor runs here (the emulator's ECS runs no container), not detached as AUTO_MONITOR would.
			Outcome started = cli("start-fleet", fleetFile.toString(), "--wait", "1m", "--no-monitor");
			assertEquals(0, started.exit(), started.out());
			assertTrue(Files.exists(workDir.resolve("files/" + APP + "SpotFleetRequestId.json")));

			// The machines' containers: two workers with real ImageJ on the emulator's queue and buckets.
			try (LocalFleet workers = new LocalFleet(n -> parascope.cloudWorker("worker-" + n, WorkerListener.NONE,
				workDir.resolve("scratch-" + n)))) {
				workers.start(2);
				Outcome monitored = cli("monitor", "--interval", "1");
				assertEquals(0, monitored.exit(), monitored.out());
			}

			S3ObjectStore results = S3ObjectStore.of(aws, BUCKET);
			List<String> truth = Files.readAllLines(nuclei.resolve("truth.csv"));
			for (String row : truth.subList(1, truth.size())) {
				String image = row.split(",")[0];
				Path csv = workDir.resolve("results/" + image + ".csv");
				results.get("nuclei/" + image + "/" + image + ".csv", csv);
				assertEquals(Integer.parseInt(row.split(",")[1]), Files.readAllLines(csv).size() - 1, image);
			}

			ExampleCloud.assertNothingLeft(aws);
			// Every task's log went to CloudWatch while it ran, and the teardown exported them to the bucket.
			List<String> exported = results.list("exportedlogs/").map(o -> o.key()).toList();
			assertTrue(exported.stream().anyMatch(k -> k.contains("cells_01")), "exported logs: " + exported);
		}
	}



	private Outcome cli(String... args) {
		return Outcome.withConfig(workDir, MotoServer.env(), CONFIG, args);
	}
}
