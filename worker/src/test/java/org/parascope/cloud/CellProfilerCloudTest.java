package org.parascope.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.Parascope;
import org.parascope.aws.AwsClients;
import org.parascope.aws.MotoServer;
import org.parascope.aws.S3ObjectStore;
import org.parascope.cellprofiler.CellProfilerInstall;
import org.parascope.cli.Outcome;
import org.parascope.config.Config;
import org.parascope.examples.NucleiImages;
import org.parascope.fleet.LocalFleet;
import org.parascope.queue.QueueCounts;
import org.parascope.worker.WorkerListener;

/**
 * A Distributed-CellProfiler job end to end on the AWS API emulator: a DCP config.py with
 * DOWNLOAD_FILES and three buckets, a LoadData CSV whose paths point at DCP's bucket mount, a real
 * CellProfiler pipeline (LoadData, IdentifyPrimaryObjects, MeasureObjectSizeShape,
 * ExportToSpreadsheet) and generated images of known nucleus counts; setup and submit through the
 * command line, then two cloud workers (threads of this JVM, as the emulator's ECS starts no
 * containers) running the real cellprofiler on the emulator's SQS and S3. Plate and folder names
 * hold spaces, as users' do.
 */
@ExtendWith(MotoServer.class)
class CellProfilerCloudTest {

	private static final String APP = "ParascopeCellProfiler";
	private static final String SOURCE = "lab-images", WORKSPACE = "lab-workspace", DESTINATION = "lab-results";
	private static final String PLATE = "Plate 1";
	private static final List<String> WELLS = List.of("A01", "A02", "B01", "B02");
	private static final String CONFIG = """
		APP_NAME = 'ParascopeCellProfiler'
		DOCKERHUB_TAG = 'parascope/worker:0.1.0'
		AWS_REGION = 'us-east-1'
		AWS_BUCKET = 'lab-results'
		SOURCE_BUCKET = 'lab-images'
		WORKSPACE_BUCKET = 'lab-workspace'
		DESTINATION_BUCKET = 'lab-results'
		ECS_CLUSTER = 'parascope-cellprofiler'
		DOWNLOAD_FILES = 'True'
		DOCKER_CORES = 2
		SQS_QUEUE_NAME = APP_NAME + 'Queue'
		SQS_MESSAGE_VISIBILITY = 2*60
		SQS_DEAD_LETTER_QUEUE = APP_NAME + 'DeadMessages'
		JOB_RETRIES = 2
		ALWAYS_CONTINUE = 'False'
		CHECK_IF_DONE_BOOL = 'False'
		""";

	@TempDir
	Path workDir;

	@Test
	void aDcpJobRunsRealCellProfilerOnTheEmulator() throws Exception {
		Path configFile = Files.writeString(workDir.resolve("config.py"), CONFIG);
		Map<String, String> env = new HashMap<>(MotoServer.env());
		env.put("CELLPROFILER_EXECUTABLE", CellProfilerInstall.executable().toString());
		Config config = Config.load(configFile, env, w -> {});
		Map<String, Integer> planted = new LinkedHashMap<>();
		try (AwsClients aws = new AwsClients(config, null, env); Parascope parascope = new Parascope(config, aws)) {
			for (String bucket : List.of(SOURCE, WORKSPACE, DESTINATION)) aws.s3().createBucket(b -> b.bucket(bucket));
			Path job = dataset(aws, planted);

			assertEquals(0, cli(env, "init-account").exit());
			Outcome setup = cli(env, "setup");
			assertEquals(0, setup.exit(), setup.err());
			Outcome submitted = cli(env, "submit", job.toString());
			assertEquals(0, submitted.exit(), submitted.err());

			try (LocalFleet workers = new LocalFleet(n -> parascope.cloudWorker("worker-" + n, WorkerListener.NONE,
				workDir.resolve("scratch-" + n)))) {
				workers.start(2);
				QueueCounts counts = parascope.status(workDir).counts();
				for (long deadline = System.nanoTime() + 300_000_000_000L; !counts.drained() && System.nanoTime() < deadline;) {
					Thread.sleep(500);
					counts = parascope.status(workDir).counts();
				}
				assertEquals(new QueueCounts(0, 0, 0), counts, "every task done, none dead");
			}

			S3ObjectStore results = S3ObjectStore.of(aws, DESTINATION);
			for (String well : WELLS) {
				// output_structure Metadata_Plate/Metadata_Well: the task's folder is "Plate 1/A01".
				String folder = "analysis/" + PLATE + "/" + well + "/";
				Path nuclei = workDir.resolve("results/" + well + "/Nuclei.csv");
				results.get(folder + "MyExpt_Nuclei.csv", nuclei);
				assertEquals(planted.get(well), Files.readAllLines(nuclei).size() - 1, "nuclei found in " + well);
				Path done = workDir.resolve("results/" + well + "/cp.is.done");
				results.get(folder + "cp.is.done", done);
				assertEquals("Complete", Files.readString(done).strip());
				assertTrue(results.exists(folder + "MyExpt_Image.csv"), folder);
			}
			assertFalse(results.list("analysis/P2/").findAny().isPresent(), "the plate that was not submitted");

			Outcome log = cli(env, "logs", "Metadata_Plate=" + PLATE + ", Metadata_Well=A02");
			assertEquals(0, log.exit(), log.err());
			assertTrue(log.out().contains("-g 'Metadata_Plate=Plate 1,Metadata_Well=A02'"), log.out());
			assertTrue(log.out().contains("fetched " + PLATE + "/images/A02.png"), log.out());
			assertFalse(log.out().contains("fetched " + PLATE + "/images/A01.png"), "only the task's own image is fetched");
			assertTrue(log.lines().stream().anyMatch(l -> l.contains("IdentifyPrimaryObjects") || l.contains("Image # 1")),
				"CellProfiler's own output: " + log.out());
			assertTrue(log.out().contains("stored analysis/" + PLATE + "/A02/MyExpt_Nuclei.csv"), log.out());
		}
	}

	/**
	 * Images in SOURCE_BUCKET under "Plate 1/images/"; the pipeline and a LoadData CSV (also listing a
	 * second plate, which is not submitted) in WORKSPACE_BUCKET; the DCP job file in the work folder.
	 */
	private Path dataset(AwsClients aws, Map<String, Integer> planted) throws Exception {
		Map<String, Path> images = new LinkedHashMap<>();
		StringBuilder csv = new StringBuilder("FileName_DNA,PathName_DNA,Metadata_Plate,Metadata_Well\n");
		StringBuilder groups = new StringBuilder();
		for (int i = 0; i < WELLS.size(); i++) {
			String well = WELLS.get(i);
			List<NucleiImages.Nucleus> nuclei = NucleiImages.nuclei(i + 1);
			planted.put(well, nuclei.size());
			Path png = workDir.resolve("images/" + well + ".png");
			Files.createDirectories(png.getParent());
			ImageIO.write(NucleiImages.render(i + 1, nuclei), "png", png.toFile());
			images.put(PLATE + "/images/" + well + ".png", png);
			csv.append(well).append(".png,/home/ubuntu/bucket/").append(PLATE).append("/images,\"").append(PLATE)
				.append("\",").append(well).append('\n');
			csv.append(well).append(".png,/home/ubuntu/bucket/P2/images,P2,").append(well).append('\n');
			groups.append(i == 0 ? "" : ",\n").append("    {\"Metadata\": \"Metadata_Plate=").append(PLATE)
				.append(",Metadata_Well=").append(well).append("\"}");
		}
		S3ObjectStore.of(aws, SOURCE).putAll(images, (key, bytes) -> {});
		Path pipeline = Path.of(getClass().getResource("/org/parascope/cellprofiler/nuclei.cppipe").toURI());
		Path loadData = Files.writeString(workDir.resolve("load_data.csv"), csv);
		S3ObjectStore.of(aws, WORKSPACE).putAll(Map.of("projects/nuclei.cppipe", pipeline,
			"projects/load_data.csv", loadData), (key, bytes) -> {});
		return Files.writeString(workDir.resolve("job.json"), """
			{
			  "_comment1": "Paths in this file are relative to the root of your S3 bucket",
			  "pipeline": "projects/nuclei.cppipe",
			  "data_file": "projects/load_data.csv",
			  "input": "Plate 1/images",
			  "output": "analysis",
			  "output_structure": "Metadata_Plate/Metadata_Well",
			  "groups": [
			%s
			  ]
			}
			""".formatted(groups));
	}

	private Outcome cli(Map<String, String> env, String... args) {
		String[] all = Stream.concat(Stream.of("--config", workDir.resolve("config.py").toString()), Stream.of(args))
			.toArray(String[]::new);
		return Outcome.runIn(workDir, env, all);
	}
}
