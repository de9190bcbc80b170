package org.parascope.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.parascope.Parascope;
import org.parascope.aws.AwsClients;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;
import org.parascope.job.Job;
import org.parascope.job.JobException;
import org.parascope.report.Reports;
import org.parascope.job.Task;
import org.parascope.progress.ProgressListener;
import org.parascope.store.KeyRule;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Generated hostile keys and metadata against the job reader and run --local (docs/security.md). The
 * cloud worker's half, on the AWS emulator, is {@code org.parascope.aws.HostileKeysCloudTest}.
 */
class HostileKeysPropertyTest {

	private static final JsonMapper JSON = new JsonMapper();

	/** Where a generated key goes in a job file, and the JSON path a refusal must name. */
	enum Place {
		NATIVE_SCRIPT("script"), NATIVE_INPUT("tasks[0].inputs[0]"), NATIVE_OUTPUT("output"),
		NATIVE_METADATA("tasks[0].metadata"), DCP_PIPELINE("pipeline"), DCP_DATA_FILE("data_file"),
		DCP_INPUT_FOLDER("input"), DCP_DICT_METADATA("groups[0]"), DF_OUTPUT("output_file_location");

		final String path;

		Place(String path) {
			this.path = path;
		}
	}

	@Provide
	Arbitrary<String> keys() {
		return HostileKeys.keys();
	}

	@Property(tries = 400)
	void theJobReaderRefusesWhatWouldLeaveItsPlaceNamingIt(@ForAll("keys") String key, @ForAll Place place)
		throws IOException
	{
		Path dir = Files.createTempDirectory("hostile-job");
		try {
			Path file = dir.resolve("job.json");
			JSON.writeValue(file.toFile(), job(place, key));
			// The value as the place uses it: the input folder loses its leading '/', a metadata id too and
			// goes below the job's output.
			String used = switch (place) {
				case DCP_INPUT_FOLDER -> key.replaceFirst("^/+", "");
				case NATIVE_METADATA, DCP_DICT_METADATA -> "out/" + key.replaceFirst("^/+", "");
				default -> key;
			};
			boolean fileKey = Set.of(Place.NATIVE_SCRIPT, Place.NATIVE_INPUT, Place.DCP_PIPELINE, Place.DCP_DATA_FILE)
				.contains(place);
			// A ',' in a dict group's value is refused too: CellProfiler's -g would read it as another group.
			boolean groupProblem = place == Place.DCP_DICT_METADATA && key.contains(",");
			if (groupProblem || (fileKey ? KeyRule.fileProblem(used) : KeyRule.problem(used)) != null) {
				JobException e = assertThrows(JobException.class, () -> Job.read(file), "accepted " + place + " " + key);
				assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("job.json: " + place.path)), e.problems()::toString);
				return;
			}
			Job job = Job.read(file);
			Path root = Path.of("/bucket");
			job.forEachTask(task -> everyKeyStaysInside(task, root));
		}
		finally {
			delete(dir);
		}
	}

	private static ObjectNode job(Place place, String key) {
		ObjectNode job = JSON.createObjectNode();
		switch (place) {
			case NATIVE_SCRIPT, NATIVE_INPUT, NATIVE_OUTPUT, NATIVE_METADATA -> {
				job.put("parascope_job", 1).put("engine", "fiji");
				job.put("script", place == Place.NATIVE_SCRIPT ? key : "m.ijm");
				job.put("output", place == Place.NATIVE_OUTPUT ? key : "out");
				if (place == Place.NATIVE_METADATA) job.put("output_structure", "plate/well");
				ObjectNode task = job.putArray("tasks").addObject();
				task.putObject("metadata").put("plate", "P1").put("well", place == Place.NATIVE_METADATA ? key : "A01");
				task.putArray("inputs").add(place == Place.NATIVE_INPUT ? key : "images/a.png");
			}
			case DCP_PIPELINE, DCP_DATA_FILE, DCP_INPUT_FOLDER, DCP_DICT_METADATA -> {
				job.put("pipeline", place == Place.DCP_PIPELINE ? key : "p.cppipe");
				job.put("data_file", place == Place.DCP_DATA_FILE ? key : "d.csv");
				job.put("input", place == Place.DCP_INPUT_FOLDER ? key : "in");
				job.put("output", "out").put("output_structure", "Metadata_Well");
				job.putArray("groups").addObject().put("Metadata_Well", place == Place.DCP_DICT_METADATA ? key : "A01");
			}
			case DF_OUTPUT -> {
				job.put("output_file_location", key);
				job.putArray("groups").addObject().put("plate", "P1");
			}
		}
		return job;
	}

	/** What a worker resolves from the task: each key strictly below its folder, the output below the job's. */
	private static void everyKeyStaysInside(Task task, Path root) {
		List<String> keys = new ArrayList<>(task.inputs());
		if (task.script() != null) keys.add(task.script());
		if (task.dataFile() != null) keys.add(task.dataFile());
		for (String key : keys) {
			Path file = root.resolve(key).normalize();
			assertTrue(file.startsWith(root) && !file.equals(root), "task key " + key + " lands at " + file);
		}
		if (task.output() != null) {
			assertTrue(root.resolve(task.output()).normalize().startsWith(root), "output " + task.output());
			assertEquals(null, KeyRule.problem(task.output()), task.output());
		}
	}

	/**
	 * run --local with generated metadata in output_structure: either the job is refused before any task
	 * runs, or every new file is below the job's own output; another job's results are never touched.
	 */
	@Property(tries = 15)
	void runLocalWritesOnlyBelowTheJobsOutput(@ForAll("keys") String plate, @ForAll("keys") String well)
		throws IOException
	{
		Path sandbox = Files.createTempDirectory("hostile-run");
		try {
			Path deep = HostileKeys.deepBelow(sandbox);
			Path jobDir = Files.createDirectories(deep.resolve("job"));
			Path results = Files.createDirectories(deep.resolve("results"));
			Files.writeString(jobDir.resolve("m.ijm"), "// the test engine does not read it\n");
			Path other = Files.createDirectories(results.resolve("jobA/p")).resolve("result.txt");
			Files.writeString(other, "job A's result");
			ObjectNode job = JSON.createObjectNode().put("parascope_job", 1).put("engine", "fiji").put("script", "m.ijm")
				.put("output", "jobB").put("output_structure", "plate/well");
			var tasks = job.putArray("tasks");
			tasks.addObject().putObject("metadata").put("plate", plate).put("well", well);
			tasks.addObject().putObject("metadata").put("plate", "P0").put("well", "W0");
			Path jobFile = jobDir.resolve("job.json");
			JSON.writeValue(jobFile.toFile(), job);
			Set<String> before = HostileKeys.files(sandbox);

			Config config = Config.defaults().with(ConfigKey.JOB_RETRIES, 1);
			boolean refused = false;
			try (Parascope parascope = new Parascope(config, new AwsClients(config, null, Map.of()),
				List.of(new HostileKeys.WritingEngine())))
			{
				parascope.runLocal(jobFile, 1, results, ProgressListener.NONE);
			}
			catch (JobException e) {
				refused = true;
			}

			Set<String> added = new TreeSet<>(HostileKeys.files(sandbox));
			added.removeAll(before);
			String jobB = sandbox.relativize(results.resolve("jobB")) + "/";
			// Besides the job's output, a run writes only its own record (trace and report), named by Parascope.
			String runs = sandbox.relativize(results.resolve(Reports.LOCAL_RUNS)) + "/";
			if (refused) assertEquals(Set.of(), added, "the job was refused, yet files appeared");
			for (String file : added) {
				assertTrue(file.startsWith(jobB) || file.startsWith(runs), file + " is not below " + jobB + " nor " + runs);
			}
			assertEquals("job A's result", Files.readString(other));
		}
		finally {
			delete(sandbox);
		}
	}

	static void delete(Path dir) throws IOException {
		try (Stream<Path> walk = Files.walk(dir)) {
			for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
		}
	}
}
