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
import org.parascope.aws.MotoServer;
import org.parascope.aws.S3ObjectStore;
import org.parascope.cli.Outcome;
import org.parascope.config.Config;
import org.parascope.fleet.LocalFleet;
import org.parascope.worker.WorkerListener;

import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

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

			Path fleetFile = userFleetFile(aws);
			Outcome started = cli("start-fleet", fleetFile.toString(), "--wait", "1m");
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

			assertNothingLeft(aws);
			// Every task's log went to CloudWatch while it ran, and the teardown exported them to the bucket.
			List<String> exported = results.list("exportedlogs/").map(o -> o.key()).toList();
			assertTrue(exported.stream().anyMatch(k -> k.contains("cells_01")), "exported logs: " + exported);
		}
	}

	/** DCP's fleet file as a user fills it in: their key pair, subnet, security group and machine image. */
	private Path userFleetFile(AwsClients aws) throws Exception {
		aws.ec2().createKeyPair(b -> b.keyName("my-key"));
		String subnet = aws.ec2().describeSubnets(b -> b.filters(Filter.builder().name("default-for-az").values("true").build()))
			.subnets().get(0).subnetId();
		String group = aws.ec2().describeSecurityGroups(b -> b.filters(Filter.builder().name("group-name").values("default").build()))
			.securityGroups().get(0).groupId();
		String image = aws.ec2().describeImages(b -> b.imageIds("ami-12c6146b")).images().get(0).imageId();
		String text = Files.readString(EXAMPLES.resolve("aws/fleet.json")).replace("subnet-00000000", subnet)
			.replace("sg-00000000", group).replace("ami-00000000000000000", image).replace("your_key_file_name", "my-key");
		Path file = workDir.resolve("fleet.json");
		Files.writeString(file, text);
		return file;
	}

	private static void assertNothingLeft(AwsClients aws) {
		assertEquals(List.of(), aws.sqs().listQueues(b -> b.queueNamePrefix(APP)).queueUrls(), "queues");
		assertEquals(List.of(), aws.ecs().describeClusters(b -> b.clusters("parascope-nuclei")).clusters().stream()
			.filter(c -> "ACTIVE".equals(c.status())).toList(), "clusters");
		assertEquals(List.of(), aws.ecs().listTaskDefinitions(b -> b.familyPrefix(APP).status(TaskDefinitionStatus.ACTIVE))
			.taskDefinitionArns(), "task definitions");
		assertEquals(List.of(), aws.ec2().describeSpotFleetRequests().spotFleetRequestConfigs().stream()
			.filter(r -> r.spotFleetRequestStateAsString().startsWith("active")).toList(), "fleets");
		assertEquals(List.of(), aws.ec2().describeLaunchTemplates().launchTemplates(), "launch templates");
		assertEquals(List.of(), aws.cloudWatch().describeAlarms().metricAlarms(), "alarms");
		assertEquals(List.of(), aws.cloudWatch().listDashboards().dashboardEntries(), "dashboards");
	}

	private Outcome cli(String... args) {
		String[] all = Stream.concat(Stream.of("--config", CONFIG.toString()), Stream.of(args)).toArray(String[]::new);
		return Outcome.runIn(workDir, MotoServer.env(), all);
	}
}
