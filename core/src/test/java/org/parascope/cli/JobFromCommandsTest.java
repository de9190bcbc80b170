package org.parascope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.aws.AwsClients;
import org.parascope.aws.MotoServer;
import org.parascope.config.Config;
import org.parascope.job.Job;
import org.parascope.job.Task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import software.amazon.awssdk.core.sync.RequestBody;

/** parascope job from-files and from-loaddata. */
@ExtendWith(MotoServer.class)
class JobFromCommandsTest {

	@TempDir
	Path dir;

	private Outcome run(String... args) {
		return Outcome.runIn(dir, Map.of(), args);
	}

	private List<Task> tasks(Path file) {
		List<Task> tasks = new ArrayList<>();
		Job.read(file).forEachTask(tasks::add);
		return tasks;
	}

	private Path images() throws Exception {
		Path images = Files.createDirectories(dir.resolve("images/sub"));
		for (String name : List.of("A01_s1_w1.tif", "A01_s1_w2.tif", "A01_s2_w1.tif", "B03_s1_w1.tif", "notes.txt", ".hidden.tif")) {
			Files.writeString(images.getParent().resolve(name), "x");
		}
		Files.writeString(images.resolve("C04_s1_w1.tif"), "x");
		return images.getParent();
	}

	@Test
	void oneTaskPerFileNFilesOrByPattern() throws Exception {
		Path images = images();
		Outcome perFile = run("job", "from-files", images.toString(), "--glob", "*.tif", "--script", "m.ijm", "--output", "res",
			"--prefix", "projects/x/images/", "-o", "per-file.json");
		assertEquals(Main.OK, perFile.exit(), perFile.err());
		List<Task> tasks = tasks(dir.resolve("per-file.json"));
		assertEquals(List.of("A01_s1_w1", "A01_s1_w2", "A01_s2_w1", "B03_s1_w1"), tasks.stream().map(t -> t.metadata().get("image")).toList());
		assertEquals(List.of("projects/x/images/A01_s1_w1.tif"), tasks.get(0).inputs());
		assertEquals("projects/x/images/A01_s1_w1.tif", tasks.get(0).metadata().get("files"));
		assertEquals("res/A01_s1_w1", tasks.get(0).output());
		assertEquals("images", Job.read(dir.resolve("per-file.json")).name());

		Outcome perTwo = run("job", "from-files", images.toString(), "--glob", "**.tif", "--per", "2", "--script", "m.ijm",
			"--output", "res", "--parameter", "sigma=2", "-o", "per-two.json");
		assertEquals(Main.OK, perTwo.exit(), perTwo.err());
		List<Task> pairs = tasks(dir.resolve("per-two.json"));
		assertEquals(List.of("1", "2", "3"), pairs.stream().map(t -> t.metadata().get("group")).toList());
		assertEquals(List.of("A01_s2_w1.tif", "B03_s1_w1.tif"), pairs.get(1).inputs());
		assertEquals(List.of("sub/C04_s1_w1.tif"), pairs.get(2).inputs());
		assertEquals(Map.of("sigma", "2"), pairs.get(0).parameters());

		Outcome byPattern = run("job", "from-files", images.toString(), "--glob", "**.tif", "--pattern",
			"(?<well>[A-P][0-9]{2})_s(?<site>[0-9]+)", "--script", "m.ijm", "--output", "res", "-o", "pattern.json");
		assertEquals(Main.OK, byPattern.exit(), byPattern.err());
		List<Task> sites = tasks(dir.resolve("pattern.json"));
		assertEquals(List.of("A01-1", "A01-2", "B03-1", "C04-1"), sites.stream().map(t -> t.metadata().get("well") + "-"
			+ t.metadata().get("site")).toList());
		assertEquals(List.of("A01_s1_w1.tif", "A01_s1_w2.tif"), sites.get(0).inputs());
		assertEquals("res/A01-1", sites.get(0).output());
	}

	@Test
	void distributedFijiFormat() throws Exception {
		Outcome o = run("job", "from-files", images().toString(), "--glob", "*.tif", "--pattern", "(?<well>[A-P][0-9]{2})_",
			"--format", "df", "--output", "projects/x/out/", "--prefix", "projects/x/images/", "-o", "df.json");
		assertEquals(Main.OK, o.exit(), o.err());
		Job job = Job.read(dir.resolve("df.json"));
		assertEquals(Job.Format.DF, job.format());
		List<Task> tasks = tasks(dir.resolve("df.json"));
		assertEquals("projects/x/images/", tasks.get(0).parameters().get("input_file_location"));
		assertEquals(Map.of("well", "A01", "files", "projects/x/images/A01_s1_w1.tif,projects/x/images/A01_s1_w2.tif,"
			+ "projects/x/images/A01_s2_w1.tif"), tasks.get(0).metadata());
		assertEquals("projects/x/out/", tasks.get(0).output());
	}

	@Test
	void filesBelowAnS3Prefix() throws Exception {
		try (AwsClients aws = new AwsClients(Config.defaults(), null, MotoServer.env())) {
			aws.s3().createBucket(b -> b.bucket("imgs"));
			for (String key : List.of("p/x/a.tif", "p/x/b.tif", "p/x/c.png", "p/y/d.tif", "p/x/sub/e.tif")) {
				aws.s3().putObject(b -> b.bucket("imgs").key(key), RequestBody.fromString("x"));
			}
		}
		Outcome o = Outcome.runIn(dir, MotoServer.env(), "job", "from-files", "s3://imgs/p/x", "--glob", "*.tif", "--script",
			"m.ijm", "--output", "res", "-o", "s3.json");
		assertEquals(Main.OK, o.exit(), o.err());
		List<Task> tasks = tasks(dir.resolve("s3.json"));
		assertEquals(List.of(List.of("p/x/a.tif"), List.of("p/x/b.tif")), tasks.stream().map(Task::inputs).toList());
		assertEquals("x", Job.read(dir.resolve("s3.json")).name());
	}

	@Test
	void badGroupingOptionsAreInputErrors() throws Exception {
		Outcome o = run("job", "from-files", images().toString(), "--pattern", "(?<well>[A-P", "--script", "m.ijm", "--output", "r",
			"-o", "x.json");
		assertEquals(Main.BAD_INPUT, o.exit());
		assertTrue(o.err().contains("regex: not a valid pattern"), o.err());
		assertTrue(!Files.exists(dir.resolve("x.json")));
	}

	/**
	 * The groups and values CellProfiler 5's own LoadData gives for this CSV (asked with cellprofiler_core:
	 * a LoadData module grouping by these columns, prepare_run, get_groupings; docs/jobs.md): integer
	 * columns lose leading zeros and signs, float columns are Python floats, Metadata_Col stays text,
	 * integers beyond 32 bits stay text, and groups are sorted by their texts.
	 */
	@Test
	void loadDataGroupsAreCellProfilersGroups() throws Exception {
		Path csv = Files.writeString(dir.resolve("load_data.csv"), """
			FileName_DNA,PathName_DNA,Metadata_Plate,Metadata_Well,Metadata_Site,Metadata_Col,Metadata_Conc,Metadata_Big
			a.png,/x,P10,A01,01,03,1,3000000000
			b.png,/x,P10,A01,1,3,2.50,1
			c.png,/x,P9,A02,2,03,1e-5,2
			d.png,/x,P9,"A02",10,4,1e16,x
			e.png,/x,P10,B01, 02 ,4,-0,5

			f.png,/x,P10,B01,+2,04,nan,5
			""");
		Outcome o = run("job", "from-loaddata", csv.toString(), "--group-by", "Plate,Metadata_Well,Metadata_Site", "--pipeline",
			"p/analysis.cppipe", "--data-file", "p/load_data.csv", "--input", "p/images", "--output", "p/out", "--output-structure",
			"Metadata_Plate/Metadata_Well-Metadata_Site", "-o", "job.json");
		assertEquals(Main.OK, o.exit(), o.err());
		JsonNode job = new JsonMapper().readTree(dir.resolve("job.json").toFile());
		assertEquals("p/analysis.cppipe", job.path("pipeline").asText());
		assertEquals("p/load_data.csv", job.path("data_file").asText());
		assertEquals(List.of("Metadata_Plate=P10,Metadata_Well=A01,Metadata_Site=1", "Metadata_Plate=P10,Metadata_Well=B01,Metadata_Site=2",
			"Metadata_Plate=P9,Metadata_Well=A02,Metadata_Site=10", "Metadata_Plate=P9,Metadata_Well=A02,Metadata_Site=2"),
			metadata(job));
		assertEquals("p/out/P10/A01-1", tasks(dir.resolve("job.json")).get(0).output());

		Outcome typed = run("job", "from-loaddata", csv.toString(), "--group-by", "Col,Conc,Big", "--pipeline", "a", "--data-file", "b",
			"--output", "c");
		assertEquals(Main.OK, typed.exit(), typed.err());
		assertEquals(List.of("Metadata_Col=03,Metadata_Conc=1.0,Metadata_Big=3000000000", "Metadata_Col=03,Metadata_Conc=1e-05,Metadata_Big=2",
			"Metadata_Col=04,Metadata_Conc=nan,Metadata_Big=5", "Metadata_Col=3,Metadata_Conc=2.5,Metadata_Big=1",
			"Metadata_Col=4,Metadata_Conc=-0.0,Metadata_Big=5", "Metadata_Col=4,Metadata_Conc=1e+16,Metadata_Big=x"),
			metadata(new JsonMapper().readTree(typed.out())));

		Outcome nativeFormat = run("job", "from-loaddata", csv.toString(), "--group-by", "Plate", "--pipeline", "a", "--data-file", "b",
			"--output", "c", "--format", "native", "-o", "native.json");
		assertEquals(Main.OK, nativeFormat.exit(), nativeFormat.err());
		List<Task> plates = tasks(dir.resolve("native.json"));
		assertEquals(List.of(Map.of("Metadata_Plate", "P10"), Map.of("Metadata_Plate", "P9")), plates.stream().map(Task::metadata).toList());
		assertEquals("b", plates.get(0).dataFile());
	}

	@Test
	void loadDataProblemsNameFileAndLine() throws Exception {
		Path csv = Files.writeString(dir.resolve("ld.csv"), "FileName_DNA,Metadata_Plate\na.png,P1\nb.png\n");
		Outcome missing = run("job", "from-loaddata", csv.toString(), "--group-by", "Well", "--pipeline", "a", "--data-file", "b",
			"--output", "c");
		assertEquals(Main.BAD_INPUT, missing.exit());
		assertTrue(missing.err().contains("ld.csv: no column Metadata_Well (its metadata columns: Metadata_Plate)"), missing.err());
		Outcome short_ = run("job", "from-loaddata", csv.toString(), "--group-by", "Plate", "--pipeline", "a", "--data-file", "b",
			"--output", "c");
		assertEquals(Main.BAD_INPUT, short_.exit());
		assertTrue(short_.err().contains("ld.csv: line 3: 1 fields, expected 2"), short_.err());
	}

	private static List<String> metadata(JsonNode job) {
		List<String> texts = new ArrayList<>();
		job.path("groups").forEach(g -> texts.add(g.path("Metadata").asText()));
		return texts;
	}
}
