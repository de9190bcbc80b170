package org.parascope.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The path rule as the job reader and the task message apply it: every problem, with its JSON path. */
class JobKeyRuleTest {

	@TempDir
	Path dir;

	@Test
	void refusesKeysThatLeaveTheirPlaceWithTheirJsonPaths() throws IOException {
		JobException e = assertThrows(JobException.class, () -> Job.read(write("job.json", """
			{"parascope_job": 1, "engine": "fiji", "script": "/etc/macro.ijm", "output": "results/../other",
			 "tasks": [
			   {"metadata": {"well": "A01"}, "inputs": ["images/a.png", "../../secret.png", "x\\u0000y"]},
			   {"metadata": {"well": "A02"}, "inputs": [""]}
			 ]}""")));

		assertEquals(List.of(
			"job.json: script: \"/etc/macro.ijm\" is an absolute path; keys and folders must stay below their bucket"
				+ " or folder",
			"job.json: output: \"results/../other\" has a '..' segment, which would leave its folder; keys and folders"
				+ " must stay below their bucket or folder",
			"job.json: tasks[0].inputs[1]: \"../../secret.png\" has a '..' segment, which would leave its folder; keys"
				+ " and folders must stay below their bucket or folder",
			"job.json: tasks[0].inputs[2]: \"x\\u0000y\" holds the control character U+0000 at position 1; keys and"
				+ " folders must stay below their bucket or folder",
			"job.json: tasks[1].inputs[0]: \"\" names no file, only its folder; keys and folders must stay below their"
				+ " bucket or folder"), e.problems());
	}

	@Test
	void refusesMetadataThatMovesTheOutputFolderNamingTheValue() throws IOException {
		// As filed: metadata ".." or "../jobA/p" wrote to the results root or into another job's results.
		JobException e = assertThrows(JobException.class, () -> Job.read(write("job.json", """
			{"pipeline": "p.cppipe", "data_file": "d.csv", "output": "jobB", "output_structure": "Metadata_Plate",
			 "groups": [
			   {"Metadata": "Metadata_Plate=.."},
			   {"Metadata": {"Metadata_Plate": "../jobA/p"}},
			   {"Metadata_Plate": "P1/../../jobA"},
			   {"Metadata": "Metadata_Plate=P1"}
			 ]}""")));

		assertEquals(List.of(
			"job.json: groups[0].Metadata.Metadata_Plate: the task's output folder \"jobB/..\" (from its metadata id"
				+ " \"..\") has a '..' segment, which would leave its folder; a metadata id must name a folder below the"
				+ " job's output",
			"job.json: groups[1].Metadata.Metadata_Plate: the task's output folder \"jobB/../jobA/p\" (from its metadata"
				+ " id \"../jobA/p\") has a '..' segment, which would leave its folder; a metadata id must name a folder"
				+ " below the job's output",
			"job.json: groups[2].Metadata_Plate: the task's output folder \"jobB/P1/../../jobA\" (from its metadata id"
				+ " \"P1/../../jobA\") has a '..' segment, which would leave its folder; a metadata id must name a folder"
				+ " below the job's output"), e.problems());
	}

	@Test
	void blamesTheWholeMetadataWhenOnlyTheStructureMakesTheSegment() throws IOException {
		// Neither "." alone leaves a folder; output_structure joins them into "..".
		JobException e = assertThrows(JobException.class, () -> Job.read(write("job.json", """
			{"pipeline": "p.cppipe", "data_file": "d.csv", "output": "out", "output_structure": "Metadata_A/Metadata_BMetadata_C",
			 "groups": [{"Metadata": "Metadata_A=x,Metadata_B=.,Metadata_C=."}]}""")));

		assertEquals(1, e.problems().size());
		assertEquals(true, e.problems().get(0).startsWith("job.json: groups[0].Metadata: the task's output folder"
			+ " \"out/x/..\""), e.problems().get(0));
	}

	@Test
	void acceptsDotsThatAreNoSegmentAndALeadingSlashOnTheInputFolder() throws IOException {
		Job job = Job.read(write("job.json", """
			{"pipeline": "p.cppipe", "data_file": "d.csv", "input": "/projects/in", "output": "out",
			 "output_structure": "Metadata_Plate",
			 "groups": [{"Metadata": "Metadata_Plate=..P1"}, {"Metadata": "Metadata_Plate=a..b"},
			            {"Metadata": "Metadata_Plate=..."}]}"""));

		assertEquals(List.of("out/..P1", "out/a..b", "out/..."), JobTest.tasks(job).stream().map(Task::output).toList());
	}

	@Test
	void refusesACommaInACellProfilerGroupThatWouldChangeItsGroup() throws IOException {
		// As filed: a dict metadata value holding a comma changed CellProfiler's -g group.
		JobException e = assertThrows(JobException.class, () -> Job.read(write("job.json", """
			{"pipeline": "p.cppipe", "data_file": "d.csv", "output": "out", "output_structure": "Metadata_Plate-Metadata_Well",
			 "groups": [{"Metadata": {"Metadata_Plate": "P1,Metadata_Well=B02", "Metadata_Well": "A01"}},
			            {"Metadata_Plate": "P2", "Metadata_Well": "A01"}]}""")));

		assertEquals(List.of("job.json: groups[0].Metadata.Metadata_Plate: CellProfiler's -g takes the group as"
			+ " Key=Value,Key=Value without quoting, so a ',' in a value or a ',' or '=' in a name would select another"
			+ " group"), e.problems());
	}

	@Test
	void refusesOverlongKeys() throws IOException {
		String longName = "a".repeat(1100);
		JobException e = assertThrows(JobException.class, () -> Job.read(write("job.json", """
			{"parascope_job": 1, "engine": "fiji", "script": "m.ijm", "output": "out",
			 "tasks": [{"metadata": {"well": "%s"}}]}""".formatted(longName))));

		assertEquals(1, e.problems().size());
		assertEquals(true, e.problems().get(0).contains("is 1104 bytes long; at most 1024 (S3's limit)"), e.problems().get(0));
	}

	@Test
	void aTaskMessageWithHostileKeysIsNoTask() {
		// Anyone who may write to the queue can send this body; no worker may run it.
		JobException e = assertThrows(JobException.class, () -> TaskMessage.decode("""
			{"parascope_task":1,"id":"0","engine":"fiji","script":"m.ijm","metadata":{"w":"A"},"parameters":{},
			 "inputs":["../../../etc/cron.d/x"],"data_file":"/etc/passwd","input":"a/../../b","output":"out/../../x"}"""));

		assertEquals(List.of(
			"task message: inputs[0]: \"../../../etc/cron.d/x\" has a '..' segment, which would leave its folder; keys and"
				+ " folders must stay below their bucket or folder",
			"task message: data_file: \"/etc/passwd\" is an absolute path; keys and folders must stay below their bucket"
				+ " or folder",
			"task message: input: \"a/../../b\" has a '..' segment, which would leave its folder; keys and folders must stay"
				+ " below their bucket or folder",
			"task message: output: \"out/../../x\" has a '..' segment, which would leave its folder; keys and folders must"
				+ " stay below their bucket or folder"), e.problems());
	}

	private Path write(String name, String json) throws IOException {
		return Files.writeString(dir.resolve(name), json);
	}
}
