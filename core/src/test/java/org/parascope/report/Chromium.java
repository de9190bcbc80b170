package org.parascope.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's chromium, headless, as the tests open reports in it: each call a fresh profile, no network
 * services, flags known to work as root in a container. ./run-tests installs the package; without it
 * a test fails saying so.
 */
public final class Chromium {

	private final String program;

	private Chromium(String program) {
		this.program = program;
	}

	/** The installed chromium; fails the test when there is none. */
	public static Chromium installed() {
		for (String name : List.of("chromium", "chromium-browser")) {
			for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
				if (Files.isExecutable(Path.of(dir, name))) return new Chromium(Path.of(dir, name).toString());
			}
		}
		return fail("Debian's chromium is not installed: the report tests open reports in it "
			+ "(apt-get install chromium; ./run-tests installs it)");
	}

	/** The page's DOM once loaded (scripts given {@code budgetMillis} of virtual time; 0: real time, none). */
	public String dumpDom(Path page, int budgetMillis) throws IOException, InterruptedException {
		return run(page, budgetMillis > 0 ? List.of("--dump-dom", "--virtual-time-budget=" + budgetMillis) : List.of("--dump-dom"),
			null);
	}

	/** A PNG of the page at {@code width} x {@code height} pixels. */
	public void screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
		run(page, List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
			"--hide-scrollbars"), png);
	}

	private String run(Path page, List<String> flags, Path expected) throws IOException, InterruptedException {
		return runUrl(page.toAbsolutePath().toUri().toString(), flags, expected);
	}

	private String runUrl(String url, List<String> flags, Path expected) throws IOException, InterruptedException {
		Path profile = Files.createTempDirectory("parascope-chromium-");
		Path out = Files.createTempFile("parascope-chromium-", ".out");
		try {
			List<String> argv = new ArrayList<>(List.of(program, "--headless", "--no-sandbox", "--disable-gpu",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--user-data-dir=" + profile));
			argv.addAll(flags);
			argv.add(url);
			Process p = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
			if (!p.waitFor(120, TimeUnit.SECONDS)) {
				p.descendants().forEach(ProcessHandle::destroyForcibly);
				p.destroyForcibly();
				fail("chromium did not finish with " + url + " within 120 s");
			}
			assertEquals(0, p.exitValue(), "chromium's exit code for " + url);
			if (expected != null && !Files.exists(expected)) fail("chromium wrote no " + expected);
			return Files.readString(out, StandardCharsets.UTF_8);
		}
		finally {
			Files.deleteIfExists(out);
			try (var walk = Files.walk(profile)) {
				walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
			}
		}
	}
}
