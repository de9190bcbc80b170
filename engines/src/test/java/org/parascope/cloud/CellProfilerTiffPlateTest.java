package org.parascope.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

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
import org.parascope.examples.NucleiImages;
import org.parascope.fleet.LocalFleet;
import org.parascope.queue.QueueCounts;
import org.parascope.worker.WorkerListener;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ImageProcessor;

/**
 * A plate as Distributed-CellProfiler users have them, on CellProfiler 4.2.8 (DCP's worker image):
 * 16-bit TIFFs, one per channel and site, read through Bio-Formats; a LoadData CSV whose plates are
 * numbers, one of them zero-padded ("01", which LoadData reads as the number 1), with zero-padded
 * sites, wells and a batch name with spaces; groups written as CellProfiler's own grouping names
 * them, in any order. With DOWNLOAD_FILES, each task fetches exactly the images of the rows
 * CellProfiler's -g runs, its outputs equal those of a local cellprofiler run of the same group on
 * the same CSV, and the done file is not stored (DCP's upload excludes it).
 */
@ExtendWith(MotoServer.class)
class CellProfilerTiffPlateTest {

	private static final String SOURCE = NucleiPlate.SOURCE, WORKSPACE = NucleiPlate.WORKSPACE,
		DESTINATION = NucleiPlate.DESTINATION;
	private static final String MOUNT = "/home/ubuntu/bucket";
	/** Plate folder, plate (as the CSV writes it), well; two sites each. */
	private static final List<String[]> WELLS = List.of(new String[] { "Batch 7 A/plate 01", "01", "A01" },
		new String[] { "Batch 7 A/plate 01", "01", "B02" }, new String[] { "Batch 7 A/1086292037", "1086292037", "A01" });
	/**
	 * The job's groups, as users write them: CellProfiler's values (01 is 1), keys in either order. Well
	 * B02 is no task: its images must not be fetched.
	 */
	private static final List<String> GROUPS = List.of("Metadata_Plate=1,Metadata_Well=A01",
		"Metadata_Well=A01,Metadata_Plate=1086292037");
	/** The output folders output_structure Metadata_Plate/Metadata_Well makes of them. */
	private static final List<String> FOLDERS = List.of("1/A01", "1086292037/A01");

	@TempDir
	Path workDir;

	@Test
	void aDcpPlateOfTiffsRunsOnCellProfiler42AsALocalRunWould() throws Exception {
		Path cellprofiler = CellProfilerInstall.cellProfiler42();
		Path images = Files.createDirectories(workDir.resolve("images"));
		StringBuilder csv = new StringBuilder("FileName_DNA,PathName_DNA,FileName_Actin,PathName_Actin,"
			+ "Metadata_Batch,Metadata_Plate,Metadata_Well,Metadata_Site\n");
		Map<String, Path> uploads = new LinkedHashMap<>();
		int image = 0;
		for (String[] well : WELLS) {
			for (String site : List.of("01", "02")) {
				image++;
				String stem = well[2] + "_s" + site;
				Path folder = Files.createDirectories(images.resolve(well[0]));
				tiff(NucleiImages.render(image, NucleiImages.nuclei(image)), 200, folder.resolve(stem + "_w1.tif"));
				tiff(NucleiImages.render(image + 10, NucleiImages.nuclei(image + 10)), 50, folder.resolve(stem + "_w2.tif"));
				for (String w : List.of("_w1.tif", "_w2.tif")) uploads.put(well[0] + "/" + stem + w, folder.resolve(stem + w));
				csv.append(String.join(",", stem + "_w1.tif", MOUNT + "/" + well[0], stem + "_w2.tif", MOUNT + "/" + well[0],
					"Batch 7 A", well[1], well[2], site)).append('\n');
			}
		}
		Path loadData = Files.writeString(workDir.resolve("load_data.csv"), csv);
		Path pipeline = Path.of(NucleiPlate.class.getResource("nuclei.cppipe").toURI());

		Path configFile = Files.writeString(workDir.resolve("config.py"), NucleiPlate.CONFIG);
		Map<String, String> env = new HashMap<>(MotoServer.env());
		env.put("CELLPROFILER_EXECUTABLE", cellprofiler.toString());
		Config config = Config.load(configFile, env, w -> {});
		try (AwsClients aws = new AwsClients(config, null, env); Parascope parascope = new Parascope(config, aws)) {
			for (String bucket : List.of(SOURCE, WORKSPACE, DESTINATION)) aws.s3().createBucket(b -> b.bucket(bucket));
			S3ObjectStore.of(aws, SOURCE).putAll(uploads, (key, bytes) -> {});
			S3ObjectStore.of(aws, WORKSPACE).putAll(Map.of("projects/nuclei.cppipe", pipeline,
				"projects/load_data.csv", loadData), (key, bytes) -> {});
			Path job = Files.writeString(workDir.resolve("job.json"), """
				{
				  "pipeline": "projects/nuclei.cppipe",
				  "data_file": "projects/load_data.csv",
				  "input": "Batch 7 A",
				  "output": "analysis",
				  "output_structure": "Metadata_Plate/Metadata_Well",
				  "groups": [%s]
				}
				""".formatted(GROUPS.stream().map(g -> "{\"Metadata\": \"" + g + "\"}").collect(Collectors.joining(", "))));

			assertEquals(0, cli(env, "init-account").exit());
			Outcome setup = cli(env, "setup");
			assertEquals(0, setup.exit(), setup.err());
			Outcome submitted = cli(env, "submit", job.toString());
			assertEquals(0, submitted.exit(), submitted.err());
			try (LocalFleet workers = new LocalFleet(n -> parascope.cloudWorker("worker-" + n, WorkerListener.NONE,
				workDir.resolve("scratch-" + n)))) {
				workers.start(2);
				QueueCounts counts = parascope.status(workDir).counts();
				for (long deadline = System.nanoTime() + 600_000_000_000L; !counts.drained() && System.nanoTime() < deadline;) {
					Thread.sleep(500);
					counts = parascope.status(workDir).counts();
				}
				assertEquals(new QueueCounts(0, 0, 0), counts, "every task done, none dead");
			}

			// The same CSV with the images' local folder in place of the bucket mount: a user's local run.
			Path localCsv = Files.writeString(workDir.resolve("local.csv"), csv.toString().replace(MOUNT, images.toString()));
			S3ObjectStore results = S3ObjectStore.of(aws, DESTINATION);
			for (int i = 0; i < GROUPS.size(); i++) {
				String prefix = "analysis/" + FOLDERS.get(i) + "/";
				Path stored = Files.createDirectories(workDir.resolve("stored/" + i));
				List<String> keys = results.list(prefix).map(o -> o.key()).sorted().toList();
				assertEquals(List.of(prefix + "MyExpt_Experiment.csv", prefix + "MyExpt_Image.csv", prefix + "MyExpt_Nuclei.csv"),
					keys, "CellProfiler's outputs, without the done file cp.is.done");
				for (String key : keys) results.get(key, stored.resolve(key.substring(prefix.length())));

				Path local = workDir.resolve("local/" + i);
				Process run = new ProcessBuilder(cellprofiler.toString(), "-c", "-r", "-p", pipeline.toString(), "-o",
					local.toString(), "-d", local.resolve("cp.is.done").toString(), "--data-file=" + localCsv, "-g", GROUPS.get(i))
					.redirectErrorStream(true).redirectOutput(workDir.resolve("local-" + i + ".log").toFile()).start();
				assertTrue(run.waitFor(10, TimeUnit.MINUTES) && run.exitValue() == 0, "the local run of " + GROUPS.get(i));

				assertEquals(Files.readString(local.resolve("MyExpt_Nuclei.csv")), Files.readString(stored.resolve("MyExpt_Nuclei.csv")),
					GROUPS.get(i) + ": every nucleus measured alike");
				List<Map<String, String>> ran = table(stored.resolve("MyExpt_Image.csv"));
				assertEquals(table(local.resolve("MyExpt_Image.csv")), ran, GROUPS.get(i) + ": the same image sets, measured alike");
				assertEquals(2, ran.size(), GROUPS.get(i) + ": both sites");
				for (Map<String, String> set : ran) {
					assertEquals("65535", set.get("Scaling_DNA"), "a 16-bit TIFF: " + set);
					assertEquals("65535", set.get("Scaling_Actin"), "a 16-bit TIFF: " + set);
					int planted = NucleiImages.nuclei(Integer.parseInt(set.get("ImageNumber"))).size();
					assertEquals(planted, (int) Double.parseDouble(set.get("Count_Nuclei")), "nuclei of " + set);
				}
			}

			Outcome log = cli(env, "logs", "Metadata_Plate=1, Metadata_Well=A01");
			assertEquals(0, log.exit(), log.err());
			assertTrue(log.out().contains("DOWNLOAD_FILES: 2 of 6 rows of projects/load_data.csv, 4 file(s)"), log.out());
			assertTrue(log.out().contains("fetched Batch 7 A/plate 01/A01_s02_w2.tif"), log.out());
			assertFalse(log.out().contains("fetched Batch 7 A/plate 01/B02_s01_w1.tif"), "only the task's own images: " + log.out());
		}
	}

	/**
	 * A CSV as rows of column to value, without the columns that differ between any two runs: the
	 * modules' times, and the images' folders (the worker's copies, the user's folder).
	 */
	private static List<Map<String, String>> table(Path csv) throws IOException {
		List<String> lines = Files.readAllLines(csv);
		String[] header = lines.get(0).split(",");
		List<Map<String, String>> rows = new ArrayList<>();
		for (String line : lines.subList(1, lines.size())) {
			String[] values = line.split(",", -1);
			Map<String, String> row = new LinkedHashMap<>();
			IntStream.range(0, header.length).filter(c -> !header[c].matches("(ExecutionTime|PathName|URL)_.*"))
				.forEach(c -> row.put(header[c], values[c]));
			rows.add(row);
		}
		return rows;
	}

	/** A 16-bit TIFF of an 8-bit picture, its values multiplied by {@code scale}. */
	private static void tiff(java.awt.image.BufferedImage picture, int scale, Path file) {
		ImageProcessor pixels = new ImagePlus("", picture).getProcessor().convertToShort(false);
		pixels.multiply(scale);
		new FileSaver(new ImagePlus(file.getFileName().toString(), pixels)).saveAsTiff(file.toString());
	}

	private Outcome cli(Map<String, String> env, String... args) {
		return Outcome.withConfig(workDir, env, workDir.resolve("config.py"), args);
	}
}
