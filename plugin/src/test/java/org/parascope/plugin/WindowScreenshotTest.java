package org.parascope.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

/**
 * The Monitor window and the Configure dialog on a real X display (Xvfb, started here on a free display
 * number, so no DISPLAY is needed): screenshots go to target/screenshots/ for people to look at, and the
 * window must show the job's counts. A missing Xvfb fails the test: ./run-tests installs it.
 */
class WindowScreenshotTest {

	static final Path SHOTS = Path.of("target/screenshots").toAbsolutePath();

	@Test
	void theMonitorWindowShowsTheJobsCountsAndTheDialogsAreCaptured() throws Exception {
		Path xvfb = onPath("Xvfb").orElseGet(() -> fail("Xvfb is not installed, so the windows cannot be rendered: install"
			+ " it (Debian/Ubuntu: apt-get install xvfb; ./run-tests does so when run as root)"));
		int display = freeDisplay();
		Process server = new ProcessBuilder(List.of(xvfb.toString(), ":" + display, "-screen", "0", "1280x1024x24",
			"-nolisten", "tcp")).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
		try {
			Path socket = Path.of("/tmp/.X11-unix/X" + display);
			for (int i = 0; i < 100 && !Files.exists(socket); i++) {
				if (!server.isAlive()) fail("Xvfb :" + display + " exited with " + server.exitValue());
				Thread.sleep(100);
			}
			ProcessBuilder child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Djava.awt.headless=false", "-cp", System.getProperty("java.class.path"), WindowScreenshots.class.getName(),
				SHOTS.toString())).redirectErrorStream(true);
			child.environment().put("DISPLAY", ":" + display);
			Process shots = child.start();
			String out = new String(shots.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertTrue(shots.waitFor(60, TimeUnit.SECONDS), out);
			assertEquals(0, shots.exitValue(), out);

			List<String> lines = out.lines().toList();
			for (String shown : List.of("Waiting=2", "Running=3", "Done=18", "Failed=1", "Fleet=3 of 3 machines",
				"Estimated cost=at most $0.15", "Phase=running", "Dialog bucket=your-bucket-name",
				"Chart done=[1.0, 10.0, 18.0]", "Chart tasks per hour=[54.0, 48.0]")) {
				assertTrue(lines.contains(shown), "the window should show " + shown + ":\n" + out);
			}
			for (String name : List.of("monitor-window.png", "configure-dialog.png")) {
				BufferedImage image = ImageIO.read(SHOTS.resolve(name).toFile());
				assertTrue(image.getWidth() > 400 && image.getHeight() > 300, name + ": " + image.getWidth() + "x" + image.getHeight());
				assertTrue(colours(image) > 2, name + " is blank");
			}
		}
		finally {
			server.destroy();
			server.waitFor(10, TimeUnit.SECONDS);
		}
	}

	/** How many different colours a sample of the image holds: a blank capture has one. */
	private static long colours(BufferedImage image) {
		List<Integer> seen = new ArrayList<>();
		for (int y = 0; y < image.getHeight(); y += 7) {
			for (int x = 0; x < image.getWidth(); x += 7) seen.add(image.getRGB(x, y));
		}
		return seen.stream().distinct().count();
	}

	private static int freeDisplay() {
		for (int n = 90; n < 400; n++) {
			if (!Files.exists(Path.of("/tmp/.X11-unix/X" + n)) && !Files.exists(Path.of("/tmp/.X" + n + "-lock"))) return n;
		}
		throw new IllegalStateException("no free X display number between :90 and :399");
	}

	private static Optional<Path> onPath(String program) {
		return Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator))
			.map(dir -> Path.of(dir, program)).filter(Files::isExecutable).findFirst();
	}
}
