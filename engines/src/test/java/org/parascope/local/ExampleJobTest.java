package org.parascope.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.LocalRun;
import org.parascope.Parascope;
import org.parascope.cli.Outcome;
import org.parascope.config.Config;
import org.parascope.examples.NucleiImages;
import org.parascope.progress.ProgressListener;

/** The README's first command, on the committed example, with real ImageJ. */
class ExampleJobTest {

	static final Path EXAMPLE = Path.of("../examples/nuclei").toAbsolutePath().normalize();

	@TempDir
	Path results;

	@Test
	void theCommittedImagesAreTheGeneratorsImages() throws Exception {
		for (int i = 1; i <= NucleiImages.IMAGES; i++) {
			BufferedImage committed = ImageIO.read(EXAMPLE.resolve("images/" + NucleiImages.name(i) + ".png").toFile());
			BufferedImage generated = NucleiImages.render(i, NucleiImages.nuclei(i));
			for (int y = 0; y < generated.getHeight(); y++) {
				for (int x = 0; x < generated.getWidth(); x++) {
					assertEquals(generated.getRaster().getSample(x, y, 0), committed.getRaster().getSample(x, y, 0),
						NucleiImages.name(i) + " differs at " + x + "," + y);
				}
			}
		}
	}

	@Test
	void twoWorkersCountThePlantedNucleiInEveryImageThenARerunSkipsEverything() throws Exception {
		Outcome run = Outcome.run(Map.of(), "--config", EXAMPLE.resolve("parascope.yml").toString(), "run", "--local",
			EXAMPLE.resolve("job.json").toString(), "--workers", "2", "--output", results.toString());
		String summary = run.out();
		assertEquals(0, run.exit(), summary);
		assertTrue(summary.contains("Results: " + results.toAbsolutePath()), summary);

		List<String> truth = Files.readAllLines(EXAMPLE.resolve("truth.csv"));
		assertEquals(NucleiImages.IMAGES + 1, truth.size());
		for (String row : truth.subList(1, truth.size())) {
			String image = row.split(",")[0];
			int planted = Integer.parseInt(row.split(",")[1]);
			Path csv = results.resolve("nuclei").resolve(image).resolve(image + ".csv");
			assertTrue(Files.exists(csv), "no results for " + image);
			List<String> lines = Files.readAllLines(csv);
			assertTrue(lines.get(0).contains("Area") && lines.get(0).contains("Mean"), lines.get(0));
			assertEquals(planted, lines.size() - 1, image + ": nuclei counted vs planted");
		}

		// The example's config has CHECK_IF_DONE on: a second run finds every result and runs nothing.
		Config config = Config.load(EXAMPLE.resolve("parascope.yml"), Map.of(), w -> {});
		LocalRun.Result again = new Parascope(config).runLocal(EXAMPLE.resolve("job.json"), 2, results, ProgressListener.NONE);
		assertEquals(NucleiImages.IMAGES, again.progress().skipped());
		assertEquals(0, again.progress().succeeded());
		assertTrue(again.allSucceeded());
	}
}
