package org.parascope.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.job.Job.Format;

class JobTest {

	@TempDir
	Path dir;

	@Test
	void readsDistributedCellProfilerJobWithMetadataStrings() throws IOException {
		Job job = Job.read(write("job.json", """
			{
			  "_comment1": "Paths are relative to the root of the bucket",
			  "pipeline": "projects/analysis.cppipe",
			  "data_file": "projects/load_data.csv",
			  "input": "projects/input/",
			  "output": "projects/output/",
			  "output_structure": "Metadata_Plate/Metadata_Well",
			  "_comment2": "One group per task",
			  "groups": [
			    {"Metadata": "Metadata_Plate=P1,Metadata_Well=A01"},
			    {"Metadata": "Metadata_Plate=P1,Metadata_Well=A02", "_comment": "a note"}
			  ]
			}"""));

		assertEquals(Format.DCP, job.format());
		assertEquals("job", job.name());
		assertEquals(2, job.taskCount());
		List<Task> tasks = tasks(job);
		assertEquals(new Task("0", Engine.CELLPROFILER, "projects/analysis.cppipe",
			Map.of("Metadata_Plate", "P1", "Metadata_Well", "A01"), Map.of(), List.of(), "projects/load_data.csv",
			"projects/input/", "projects/output/P1/A01"), tasks.get(0));
		assertEquals(List.of("Metadata_Plate", "Metadata_Well"), List.copyOf(tasks.get(0).metadata().keySet()));
		assertEquals("1", tasks.get(1).id());
		assertEquals("projects/output/P1/A02", tasks.get(1).output());
	}

	@Test
	void joinsMetadataValuesWithoutOutputStructure() throws IOException {
		Job job = Job.read(write("job.json", """
			{"pipeline": "p.cppipe", "data_file": "d.csv", "input": "in", "output": "",
			 "groups": [{"Metadata": "Metadata_Plate=P1,Metadata_Filter=a=b"}]}"""));

		Task task = tasks(job).get(0);
		assertEquals(Map.of("Metadata_Plate", "P1", "Metadata_Filter", "a=b"), task.metadata());
		assertEquals("P1-a=b", task.output());
	}

	@Test
	void readsDictMetadataWithOutputStructureReplacingLongerKeysFirst() throws IOException {
		Job job = Job.read(write("job.json", """
			{"pipeline": "p.cppipe", "data_file": "d.csv", "input": "in", "output": "out",
			 "output_structure": "Metadata_Plate/Metadata_WellRow-Metadata_Well",
			 "groups": [
			   {"Metadata_Plate": "P1", "Metadata_Well": 3, "Metadata_WellRow": 2.50},
			   {"Metadata": {"Metadata_Plate": "P2", "Metadata_Well": "B", "Metadata_WellRow": "Metadata_Well"}}
			 ]}"""));

		List<Task> tasks = tasks(job);
		assertEquals(Map.of("Metadata_Plate", "P1", "Metadata_Well", "3", "Metadata_WellRow", "2.50"),
			tasks.get(0).metadata());
		assertEquals("out/P1/2.50-3", tasks.get(0).output());
		// A value that reads like a key is not replaced again.
		assertEquals("out/P2/Metadata_Well-B", tasks.get(1).output());
	}

	@Test
	void readsDistributedFijiJob() throws IOException {
		Job job = Job.read(write("fiji-job.json", """
			{
			  "_comment0": "shared by every task",
			  "output_file_location": "projects/x/workspace/",
			  "shared_metadata": {"input_file_location": "projects/x/images/", "scale": 2},
			  "groups": [{"plate": "SQ1", "well": "A01"}, {"plate": "SQ1", "well": "A02"}]
			}"""));

		assertEquals(Format.DF, job.format());
		assertEquals("fiji-job", job.name());
		assertEquals(new Task("1", Engine.FIJI, null, Map.of("plate", "SQ1", "well", "A02"),
			Map.of("input_file_location", "projects/x/images/", "scale", "2"), List.of(), null, null,
			"projects/x/workspace/"), tasks(job).get(1));
	}

	@Test
	void readsDistributedSomethingJob() throws IOException {
		Job job = Job.read(write("ds.json", """
			{"_comment": "every key goes to every task", "output": "results/", "threshold": 0.5, "fast": true,
			 "nested": {"ignored": 1}, "groups": [{"plate": "P1", "site": 1}]}"""));

		assertEquals(Format.DS, job.format());
		assertEquals(new Task("0", Engine.FIJI, null, Map.of("plate", "P1", "site", "1"),
			Map.of("output", "results/", "threshold", "0.5", "fast", "true"), List.of(), null, null,
			"results/P1-1"), tasks(job).get(0));
	}

	@Test
	void readsNativeJob() throws IOException {
		Job job = Job.read(write("native.json", """
			{"parascope_job": 1, "name": "nuclei", "engine": "fiji", "script": "count_nuclei.ijm",
			 "output": "results", "output_structure": "plate/well", "parameters": {"sigma": 2},
			 "tasks": [{"metadata": {"plate": "P1", "well": "A01"}, "inputs": ["images/a.png", "images/b.png"]}]}"""));

		assertEquals(Format.NATIVE, job.format());
		assertEquals("nuclei", job.name());
		assertEquals(new Task("0", Engine.FIJI, "count_nuclei.ijm", Map.of("plate", "P1", "well", "A01"),
			Map.of("sigma", "2"), List.of("images/a.png", "images/b.png"), null, null, "results/P1/A01"),
			tasks(job).get(0));
	}

	@Test
	void readsJobKeysThatFollowTheGroups() throws IOException {
		// The groups come first, so the format and the output structure are only known at the end.
		Job job = Job.read(write("job.json", """
			{"groups": [{"Metadata": "Metadata_Plate=P1,Metadata_Well=A01"}],
			 "output_structure": "Metadata_Well/Metadata_Plate",
			 "pipeline": "p.cppipe", "data_file": "d.csv", "output": "out"}"""));

		assertEquals(Format.DCP, job.format());
		assertEquals("out/A01/P1", tasks(job).get(0).output());
		assertNull(tasks(job).get(0).inputFolder());
	}

	@Test
	void reportsBadMetadataStringWithItsPath() throws IOException {
		StringBuilder groups = new StringBuilder();
		for (int i = 0; i < 20; i++) groups.append("{\"Metadata\": \"Metadata_Plate=P").append(i).append("\"},");
		JobException e = assertThrows(JobException.class, () -> Job.read(write("job.json",
			"{\"pipeline\": \"p\", \"data_file\": \"d\", \"output\": \"o\", \"groups\": [" + groups
				+ "{\"Metadata\": \"Metadata_Plate\"}]}")));

		assertEquals("job.json: groups[20].Metadata: expected \"Key=Value,Key=Value\", got \"Metadata_Plate\"",
			e.getMessage());
	}

	@Test
	void reportsMalformedJsonWithLineAndColumn() throws IOException {
		JobException e = assertThrows(JobException.class, () -> Job.read(write("job.json", """
			{
			  "pipeline": "p",
			  "output" "o"
			}""")));

		assertEquals("job.json: line 3, column 12: malformed JSON: Unexpected character ('\"' (code 34)): was"
			+ " expecting a colon to separate field name and value", e.getMessage());
	}

	@Test
	void reportsKeyGivenTwiceAsMalformed() throws IOException {
		JobException e = assertThrows(JobException.class, () -> Job.read(write("job.json",
			"{\"pipeline\": \"p\",\n \"pipeline\": \"q\"}")));

		assertTrue(e.getMessage().startsWith("job.json: line 2, column "), e.getMessage());
		assertTrue(e.getMessage().contains("Duplicate field 'pipeline'"), e.getMessage());
	}

	@Test
	void reportsEveryProblemAtOnce() throws IOException {
		JobException e = assertThrows(JobException.class, () -> Job.read(write("job.json", """
			{"data_file": "d.csv", "output": 7, "shared_metadata": {},
			 "groups": [
			   {"Metadata": "Metadata_Plate=P1"},
			   {"Metadata_Plate": {"name": "P2"}},
			   {"Metadata": "Metadata_Plate=P1"},
			   {"Metadata": null},
			   "P5",
			   {"Metadata": "Metadata_Plate=P6", "Extra": 1}
			 ]}""")));

		assertEquals(List.of(
			"job.json: missing key \"pipeline\"",
			"job.json: output: expected a string, got 7",
			"job.json: shared_metadata: unknown key (expected pipeline, data_file, input, output, output_structure,"
				+ " groups)",
			"job.json: groups[1]: metadata given as an object needs a top-level \"output_structure\" such as"
				+ " \"Metadata_Plate/Metadata_Well\" to name each task's output folder",
			"job.json: groups[1].Metadata_Plate: expected a string or a number, got {\"name\":\"P2\"}",
			"job.json: groups[2]: metadata id \"P1\" is also the id of groups[0]: both tasks would write the same"
				+ " output folder",
			"job.json: groups[3].Metadata: expected \"Key=Value,Key=Value\" or an object of names and values, got null",
			"job.json: groups[4]: expected a group object such as {\"Metadata\": \"Metadata_Plate=P1,Metadata_Well=A01\"},"
				+ " got \"P5\"",
			"job.json: groups[5].Extra: unknown key (expected Metadata)"), e.problems());
	}

	@Test
	void showsTwentyProblemsAndCountsTheRest() throws IOException {
		StringBuilder groups = new StringBuilder();
		for (int i = 0; i < 30; i++) groups.append(i == 0 ? "" : ",").append("{\"plate\": [").append(i).append("]}");
		JobException e = assertThrows(JobException.class, () -> Job.read(write("df.json",
			"{\"output_file_location\": \"o\", \"groups\": [" + groups + "]}")));

		assertEquals(20, e.problems().size());
		assertEquals("df.json: groups[19].plate: expected a string or a number, got [19]", e.problems().get(19));
		assertTrue(e.getMessage().endsWith("\n... and 10 more"), e.getMessage());
	}

	@Test
	void reportsOneMistakeOfEveryGroupOnce() throws IOException {
		JobException e = assertThrows(JobException.class, () -> Job.read(write("job.json", """
			{"pipeline": "p", "data_file": "d", "output": "o",
			 "groups": [{"Metadata_Plate": "P1"}, {"Metadata_Plate": "P2"}, {"Metadata_Plate": "P3"}]}""")));

		assertEquals(List.of("job.json: groups[0]: metadata given as an object needs a top-level"
			+ " \"output_structure\" such as \"Metadata_Plate/Metadata_Well\" to name each task's output folder"
			+ " (and the same in 2 more places)"), e.problems());
	}

	@Test
	void reportsNativeJobProblems() throws IOException {
		JobException e = assertThrows(JobException.class, () -> Job.read(write("native.json", """
			{"parascope_job": 2, "engine": 3, "script": "s.ijm", "output": "o", "data_file": "d.csv",
			 "groups": [],
			 "tasks": [{"inputs": "a.png"}, {"metadata": {"well": "A01"}, "input": []}, {"metadata": {}}]}""")));

		assertEquals(List.of(
			"native.json: parascope_job: expected 1 (the only version there is), got 2",
			"native.json: engine: expected a string, got 3",
			"native.json: groups: unknown key (expected parascope_job, name, engine, script, output,"
				+ " output_structure, parameters, data_file, input, tasks)",
			"native.json: tasks[0]: missing key \"metadata\"",
			"native.json: tasks[0].inputs: expected a list of strings, got \"a.png\"",
			"native.json: tasks[1].input: unknown key (expected metadata, inputs, data_file)",
			"native.json: tasks[2]: no metadata: each task needs at least one name and value"), e.problems());
	}

	@Test
	void rejectsFilesThatAreNoJob() throws IOException {
		assertEquals("x.json: not a job file: expected one of the keys " + JobKeys.DETECTION + ", found tasks, name",
			assertThrows(JobException.class, () -> Job.read(write("x.json", "{\"tasks\": [], \"name\": \"n\"}")))
				.getMessage());
		assertEquals("x.json: expected a JSON object {...} at the top level, got [",
			assertThrows(JobException.class, () -> Job.read(write("x.json", "[{}]"))).getMessage());
		assertEquals("x.json: groups: no groups: a job needs at least one",
			assertThrows(JobException.class, () -> Job.read(write("x.json", "{\"groups\": []}"))).getMessage());
		assertEquals("x.json: groups: expected a list of groups, got {}",
			assertThrows(JobException.class, () -> Job.read(write("x.json", "{\"groups\": {}}"))).getMessage());
		assertTrue(assertThrows(JobException.class, () -> Job.read(dir.resolve("none.json"))).getMessage()
			.startsWith("none.json: no such file: "));
	}

	private Path write(String name, String json) throws IOException {
		return Files.writeString(dir.resolve(name), json);
	}

	static List<Task> tasks(Job job) {
		List<Task> tasks = new ArrayList<>();
		job.forEachTask(tasks::add);
		return tasks;
	}
}
