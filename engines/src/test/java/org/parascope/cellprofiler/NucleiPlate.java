package org.parascope.cellprofiler;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.parascope.aws.AwsClients;
import org.parascope.aws.store.S3ObjectStore;
import org.parascope.examples.NucleiImages;

/**
 * A Distributed-CellProfiler dataset in the emulator's buckets: one generated image of known nucleus
 * count per well in the source bucket under "Plate 1/images/"; the nuclei pipeline (LoadData,
 * IdentifyPrimaryObjects, MeasureObjectSizeShape, ExportToSpreadsheet) and a LoadData CSV whose paths
 * point at DCP's bucket mount in the workspace bucket (the CSV also lists a plate "P2" that no job
 * names); and a DCP job file of one group per well, outputs under "analysis/Plate 1/<well>/".
 *
 * @param planted the nuclei in each well's image
 */
public record NucleiPlate(Path jobFile, Map<String, Integer> planted) {

	public static final String PLATE = "Plate 1";
	public static final String SOURCE = "lab-images", WORKSPACE = "lab-workspace", DESTINATION = "lab-results";
	/** A DCP config.py for the plate: three buckets, DOWNLOAD_FILES. */
	public static final String CONFIG = """
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

	public static NucleiPlate upload(AwsClients aws, String source, String workspace, List<String> wells, Path dir)
		throws IOException, URISyntaxException
	{
		Map<String, Integer> planted = new LinkedHashMap<>();
		Map<String, Path> images = new LinkedHashMap<>();
		StringBuilder csv = new StringBuilder("FileName_DNA,PathName_DNA,Metadata_Plate,Metadata_Well\n");
		StringBuilder groups = new StringBuilder();
		for (int i = 0; i < wells.size(); i++) {
			String well = wells.get(i);
			List<NucleiImages.Nucleus> nuclei = NucleiImages.nuclei(i % NucleiImages.IMAGES + 1);
			planted.put(well, nuclei.size());
			Path png = dir.resolve("images/" + well + ".png");
			Files.createDirectories(png.getParent());
			ImageIO.write(NucleiImages.render(i % NucleiImages.IMAGES + 1, nuclei), "png", png.toFile());
			images.put(PLATE + "/images/" + well + ".png", png);
			csv.append(well).append(".png,/home/ubuntu/bucket/").append(PLATE).append("/images,\"").append(PLATE)
				.append("\",").append(well).append('\n');
			csv.append(well).append(".png,/home/ubuntu/bucket/P2/images,P2,").append(well).append('\n');
			groups.append(i == 0 ? "" : ",\n").append("    {\"Metadata\": \"Metadata_Plate=").append(PLATE)
				.append(",Metadata_Well=").append(well).append("\"}");
		}
		S3ObjectStore.of(aws, source).putAll(images, (key, bytes) -> {});
		Path pipeline = Path.of(NucleiPlate.class.getResource("nuclei.cppipe").toURI());
		Path loadData = Files.writeString(dir.resolve("load_data.csv"), csv);
		S3ObjectStore.of(aws, workspace).putAll(Map.of("projects/nuclei.cppipe", pipeline,
			"projects/load_data.csv", loadData), (key, bytes) -> {});
		Path job = Files.writeString(dir.resolve("job.json"), """
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
		return new NucleiPlate(job, planted);
	}
}
