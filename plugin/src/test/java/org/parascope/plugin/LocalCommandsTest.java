package org.parascope.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import ij.ImagePlus;
import ij.process.ImageStatistics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;
import org.scijava.module.Module;

/** The commands without AWS: Configure's settings file, Run Locally on an opened image sequence, clear input errors. */
class LocalCommandsTest {

	@TempDir
	Path tmp;

	@Test
	void configureSavesWhatAMacroGivesOnTopOfAConfigPyAndNamesABadValue() throws Exception {
		try (Fixtures fiji = new Fixtures(tmp.resolve("home"), Map.of())) {
			Module configured = fiji.run(ConfigureParascope.class, "config", Fixtures.EXAMPLES.resolve("aws/config.py").toFile(),
				"bucket", "my-lab", "machines", "4", "types", "c5.large, c5a.large");
			assertTrue(((String) configured.getOutput("report")).contains("saved "), (String) configured.getOutput("report"));

			Config config = fiji.parascope.config();
			assertEquals("ParascopeNuclei", config.string(ConfigKey.APP_NAME), "from config.py");
			assertEquals("ParascopeNucleiQueue", config.string(ConfigKey.SQS_QUEUE_NAME));
			assertEquals("my-lab", config.string(ConfigKey.DESTINATION_BUCKET), "config.py's 'False' follows AWS_BUCKET");
			assertEquals(4, config.integer(ConfigKey.CLUSTER_MACHINES));
			assertEquals(List.of("c5.large", "c5a.large"), config.list(ConfigKey.MACHINE_TYPE));

			// A later macro changes one value; the rest stays; an empty value restores the default.
			fiji.run(ConfigureParascope.class, "app", "Lab2", "machines", "");
			config = fiji.parascope.config();
			assertEquals("Lab2", config.string(ConfigKey.APP_NAME));
			assertEquals(3, config.integer(ConfigKey.CLUSTER_MACHINES));
			assertEquals("my-lab", config.string(ConfigKey.AWS_BUCKET));

			String before = Files.readString(fiji.parascope.settings().file());
			Exception bad = assertThrows(Fixtures.Canceled.class, () -> fiji.run(ConfigureParascope.class, "machines", "four"));
			assertEquals("CLUSTER_MACHINES: expected an integer, got 'four'", bad.getMessage());
			assertEquals(before, Files.readString(fiji.parascope.settings().file()), "a bad value changes nothing");
		}
	}

	@Test
	void runLocallyMeasuresEveryImageOfTheOpenSequence() throws Exception {
		ImagePlus sequence = Fixtures.sequence(tmp.resolve("plate 1"), 4);
		try (Fixtures fiji = new Fixtures(tmp.resolve("home"), Map.of())) {
			Path results = tmp.resolve("results");
			Module run = fiji.run(RunLocally.class, "image", sequence, "script", Fixtures.MACRO.toFile(),
				"parameters", "label=first try", "grouping", "one task per file", "workers", 2, "output", results.toFile());

			assertTrue(((String) run.getOutput("summary")).startsWith("4 of 4 tasks succeeded"), (String) run.getOutput("summary"));
			assertEquals(results.toFile(), run.getOutput("results"));
			java.io.File report = (java.io.File) run.getOutput("report");
			assertTrue(report.isFile() && report.toPath().startsWith(results.resolve("parascope-runs")), "the run's report: " + report);
			for (int slice = 1; slice <= 4; slice++) {
				String image = String.format("cells_%02d", slice);
				List<String> rows = Files.readAllLines(results.resolve(image + "/" + image + ".csv"));
				sequence.setSlice(slice);
				double mean = ImageStatistics.getStatistics(sequence.getProcessor()).mean;
				assertEquals(List.of("file,label,mean", image + ".png,first try," + String.format("%.3f", mean)), rows);
			}
		}
	}

	@Test
	void runLocallyGroupsFilesByAFileNamePattern() throws Exception {
		Fixtures.renamed(tmp.resolve("plate"), "A01_s1.png", "A01_s2.png", "A02_s1.png", "A02_s2.png", "notes.png");
		try (Fixtures fiji = new Fixtures(tmp.resolve("home"), Map.of())) {
			Path results = tmp.resolve("results");
			Module run = fiji.run(RunLocally.class, "folder", tmp.resolve("plate").toFile(), "pattern", "*.png",
				"script", Fixtures.MACRO.toFile(), "parameters", "label=x", "grouping", "by file name pattern",
				"regex", "(?<image>[A-P][0-9]{2})_s[0-9]", "output", results.toFile());
			assertTrue(((String) run.getOutput("summary")).startsWith("2 of 2 tasks succeeded"), (String) run.getOutput("summary"));
			List<String> a02 = Files.readAllLines(results.resolve("A02/A02.csv"));
			assertEquals(List.of("A02_s1.png", "A02_s2.png"), a02.subList(1, a02.size()).stream().map(r -> r.split(",")[0]).toList(),
				"one task per well, with both its sites");
		}
	}

	@Test
	void missingOrWrongInputsAreNamedBeforeAnythingRuns() throws Exception {
		try (Fixtures fiji = new Fixtures(tmp.resolve("home"), Map.of())) {
			Exception noScript = assertThrows(Fixtures.Canceled.class, () -> fiji.run(SubmitOpenDataset.class,
				"folder", tmp.toFile()));
			assertEquals("script: the macro or script to run on each task is missing", noScript.getMessage());

			Exception noImage = assertThrows(Fixtures.Canceled.class, () -> fiji.run(RunLocally.class, "script", Fixtures.MACRO.toFile()));
			assertTrue(noImage.getMessage().startsWith("no image is open and no folder was given"), noImage.getMessage());

			Fixtures.sequence(tmp.resolve("imgs"), 2);
			Exception pattern = assertThrows(Fixtures.Canceled.class, () -> fiji.run(RunLocally.class, "script", Fixtures.MACRO.toFile(),
				"folder", tmp.resolve("imgs").toFile(), "pattern", "*.png", "grouping", "by file name pattern", "regex", "(?<well"));
			assertTrue(pattern.getMessage().startsWith("regex: not a valid pattern"), pattern.getMessage());

			Exception parameters = assertThrows(Fixtures.Canceled.class, () -> fiji.run(RunLocally.class, "script", Fixtures.MACRO.toFile(),
				"folder", tmp.resolve("imgs").toFile(), "parameters", "sigma"));
			assertEquals("parameters: expected name=value, got 'sigma' in 'sigma'", parameters.getMessage());
			assertEquals(false, new File(fiji.parascope.home().toFile(), "jobs").exists(), "nothing was written");
		}
	}
}
