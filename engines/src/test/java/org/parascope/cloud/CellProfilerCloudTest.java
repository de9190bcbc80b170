package org.parascope.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.Parascope;
import org.parascope.aws.AwsClients;
import org.parascope.aws.MotoServer;
import org.parascope.aws.store.S3ObjectStore;
import org.parascope.cellprofiler.CellProfilerInstall;
import org.parascope.cellprofiler.NucleiPlate;
import org.parascope.cli.Outcome;
import org.parascope.config.Config;
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

	private static final String SOURCE = NucleiPlate.SOURCE, WORKSPACE = NucleiPlate.WORKSPACE,
		DESTINATION = NucleiPlate.DESTINATION;
	private static final String PLATE = NucleiPlate.PLATE;
	private static final List<String> WELLS = List.of("A01", "A02", "B01", "B02");

	@TempDir
	Path workDir;

	@Test
	void aDcpJobRunsRealCellProfilerOnTheEmulator() throws Exception {
		Path configFile = Files.writeString(workDir.resolve("config.py"), NucleiPlate.CONFIG);
		Map<String, String> env = new HashMap<>(MotoServer.env());
		env.put("CELLPROFILER_EXECUTABLE", CellProfilerInstall.executable().toString());
		Config config = Config.load(configFile, env, w -> {});
		try (AwsClients aws = new AwsClients(config, null, env); Parascope parascope = new Parascope(config, aws)) {
			for (String bucket : List.of(SOURCE, WORKSPACE, DESTINATION)) aws.s3().createBucket(b -> b.bucket(bucket));
			NucleiPlate plate = NucleiPlate.upload(aws, SOURCE, WORKSPACE, WELLS, workDir);
			Path job = plate.jobFile();

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
				assertEquals(plate.planted().get(well), Files.readAllLines(nuclei).size() - 1, "nuclei found in " + well);
				assertTrue(results.exists(folder + "MyExpt_Image.csv"), folder);
				assertFalse(results.exists(folder + "cp.is.done"), "the done file is not stored, as DCP does not store it");
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

	private Outcome cli(Map<String, String> env, String... args) {
		return Outcome.withConfig(workDir, env, workDir.resolve("config.py"), args);
	}
}
