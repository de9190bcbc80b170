package org.parascope.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.ParascopeException;

class TaskMessageTest {

	@TempDir
	Path dir;

	@Test
	void encodesAndDecodesEveryField() {
		Task task = new Task("7", Engine.CELLPROFILER, "p.cppipe", Map.of("Metadata_Plate", "P1"),
			Map.of("k", "v"), List.of("images/a.tif"), "d.csv", "in/", "out/P1");
		String body = TaskMessage.encode(task);

		assertEquals("{\"parascope_task\":1,\"id\":\"7\",\"engine\":\"cellprofiler\",\"script\":\"p.cppipe\","
			+ "\"metadata\":{\"Metadata_Plate\":\"P1\"},\"parameters\":{\"k\":\"v\"},\"inputs\":[\"images/a.tif\"],"
			+ "\"data_file\":\"d.csv\",\"input\":\"in/\",\"output\":\"out/P1\"}", body);
		assertEquals(task, TaskMessage.decode(body));
	}

	@Test
	void decodesAbsentValues() {
		Task task = new Task("0", Engine.FIJI, null, Map.of("a", "1", "b", "2"), Map.of(), List.of(), null, null,
			"out");

		assertEquals(task, TaskMessage.decode(TaskMessage.encode(task)));
	}

	@Test
	void decodesDistributedCellProfilerBodiesAsTheJobReaderMapsTheirGroups() throws IOException {
		Job job = Job.read(write("""
			{"pipeline": "p.cppipe", "data_file": "d.csv", "input": "in/", "output": "out",
			 "output_structure": "Metadata_Plate/Metadata_Well",
			 "groups": [{"Metadata": "Metadata_Plate=P1,Metadata_Well=A01"},
			            {"Metadata_Plate": "P1", "Metadata_Well": 2}]}"""));
		List<Task> tasks = JobTest.tasks(job);

		// The bodies DCP's run.py sends: its job keys, and the group's Metadata (or the group) as "Metadata".
		assertEquals(withId("P1/A01", tasks.get(0)), TaskMessage.decode("""
			{"Metadata": "Metadata_Plate=P1,Metadata_Well=A01", "pipeline": "p.cppipe", "output": "out",
			 "input": "in/", "data_file": "d.csv", "output_structure": "Metadata_Plate/Metadata_Well"}"""));
		assertEquals(withId("P1/2", tasks.get(1)), TaskMessage.decode("""
			{"Metadata": {"Metadata_Plate": "P1", "Metadata_Well": 2}, "pipeline": "p.cppipe", "output": "out",
			 "input": "in/", "data_file": "d.csv", "output_structure": "Metadata_Plate/Metadata_Well"}"""));
	}

	@Test
	void decodesDistributedFijiBodiesAsTheJobReaderMapsTheirGroups() throws IOException {
		Job job = Job.read(write("""
			{"output_file_location": "ws/", "shared_metadata": {"scale": 2},
			 "groups": [{"plate": "SQ1", "well": "A01"}]}"""));

		assertEquals(withId("SQ1-A01", JobTest.tasks(job).get(0)), TaskMessage.decode("""
			{"Metadata": {"plate": "SQ1", "well": "A01"}, "output_file_location": "ws/",
			 "shared_metadata": {"scale": 2}}"""));
	}

	@Test
	void decodesDistributedSomethingBodiesAsTheJobReaderMapsTheirGroups() throws IOException {
		Job job = Job.read(write("""
			{"_comment": "not sent", "output": "res", "threshold": 0.5, "groups": [{"plate": "P1", "site": 3}]}"""));

		assertEquals(withId("P1-3", JobTest.tasks(job).get(0)), TaskMessage.decode("""
			{"output": "res", "threshold": 0.5, "group": {"plate": "P1", "site": 3}}"""));
	}

	@Test
	void rejectsWhatIsNoTask() {
		assertTrue(assertThrows(ParascopeException.class, () -> TaskMessage.decode("{\"Metadata\": "))
			.getMessage().startsWith("task message: line 1, column 14: malformed JSON: "));
		assertTrue(assertThrows(ParascopeException.class, () -> TaskMessage.decode("{\"Metadata\": \"a=1\"}"))
			.getMessage().startsWith("task message: expected a Parascope task {\"parascope_task\": 1, ...}, a"
				+ " Distributed-CellProfiler body"));
		assertEquals("task message: engine: unknown engine 'imagej' (expected fiji or cellprofiler)\n"
			+ "task message: metadata.well: expected a string or a number, got null",
			assertThrows(ParascopeException.class, () -> TaskMessage.decode("""
				{"parascope_task": 1, "id": "0", "engine": "imagej", "metadata": {"well": null}, "output": "o"}"""))
				.getMessage());
		assertEquals("task message: Metadata: expected \"Key=Value,Key=Value\", got \"plate\"",
			assertThrows(ParascopeException.class, () -> TaskMessage.decode("""
				{"Metadata": "plate", "pipeline": "p", "data_file": "d", "output": "o"}""")).getMessage());
	}

	private Path write(String json) throws IOException {
		return Files.writeString(dir.resolve("job.json"), json);
	}

	/** A queue body carries no group index: the decoded task's id is its metadata id. */
	private static Task withId(String id, Task t) {
		return new Task(id, t.engine(), t.script(), t.metadata(), t.parameters(), t.inputs(), t.dataFile(),
			t.inputFolder(), t.output());
	}
}
