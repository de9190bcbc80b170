package org.parascope.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.aws.ecs.MonitorTask;

/**
 * The command line distribution (target/parascope-VERSION.tar.gz and .zip) unpacked as a user would: bin/parascope
 * runs with nothing but a Java 17, and the bridge's wheel.
 */
class DistributionIT {

	static final Path TAR = Path.of(System.getProperty("parascope.dist", "target/parascope.tar.gz"));
	static final String VERSION = System.getProperty("parascope.version");

	@TempDir
	Path tmp;

	/** Unpacked with tar (which keeps bin/parascope executable), in a folder with a space in its name. */
	private Path unpacked() throws Exception {
		Path into = Files.createDirectories(tmp.resolve("my tools"));
		Processes tar = Processes.run(into, Map.of(), List.of("tar", "-xzf", TAR.toAbsolutePath().toString()));
		assertEquals(0, tar.exit(), tar.toString());
		return into.resolve("parascope-" + VERSION);
	}

	/** Only a Java: JAVA_HOME, no Maven, no clone. */
	private static Map<String, String> javaOnly() {
		return Map.of("JAVA_HOME", System.getProperty("java.home"), "PATH", "/usr/bin:/bin");
	}

	@Test
	void helpAndTheExampleRunFromAnUnpackedCopy() throws Exception {
		Path home = unpacked();
		Path parascope = home.resolve("bin/parascope");
		assertTrue(Files.isExecutable(parascope));
		assertTrue(Files.isRegularFile(home.resolve("lib/parascope.jar")));
		assertTrue(Files.isRegularFile(home.resolve("README.md")));

		Processes help = Processes.run(tmp, javaOnly(), List.of(parascope.toString(), "--help"));
		assertEquals(0, help.exit(), help.toString());
		assertTrue(help.out().startsWith("Usage: parascope"), help.toString());
		assertTrue(Files.isRegularFile(home.resolve("lib/parascope.jar.jsa")), "the first command writes the class archive");

		// The README's first command, with the distribution's bin/parascope, from the unpacked folder.
		Processes run = Processes.run(home, javaOnly(), List.of("bin/parascope", "--config", "examples/nuclei/parascope.yml",
			"run", "--local", "examples/nuclei/job.json", "--workers", "2"));
		assertEquals(0, run.exit(), run.toString());
		try (Stream<Path> results = Files.list(home.resolve("parascope-results/nuclei"))) {
			assertEquals(24, results.filter(d -> Files.isRegularFile(d.resolve(d.getFileName() + ".csv"))).count(), run.toString());
		}
	}

	@Test
	void bothArchivesHoldTheSameFilesAndParascopeCmdIsWellFormed() throws Exception {
		Path zipFile = Path.of(TAR.toString().replaceFirst("\\.tar\\.gz$", ".zip"));
		Set<String> inZip = new TreeSet<>();
		String cmd;
		try (ZipFile zip = new ZipFile(zipFile.toFile())) {
			for (ZipEntry e : zip.stream().toList()) if (!e.isDirectory()) inZip.add(e.getName());
			cmd = new String(zip.getInputStream(zip.getEntry("parascope-" + VERSION + "/bin/parascope.cmd")).readAllBytes(),
				StandardCharsets.US_ASCII);
		}
		Path home = unpacked();
		Set<String> inTar = new TreeSet<>();
		try (Stream<Path> files = Files.walk(home)) {
			files.filter(Files::isRegularFile).forEach(f -> inTar.add("parascope-" + VERSION + "/" + home.relativize(f)));
		}
		assertEquals(inTar, inZip);

		// No Windows here to run it: what can be checked without cmd.exe is checked.
		assertFalse(cmd.replace("\r\n", "").contains("\n"), "parascope.cmd has Windows line ends only");
		List<String> lines = List.of(cmd.split("\r\n"));
		assertEquals("@echo off", lines.get(0));
		Set<String> labels = new TreeSet<>();
		for (String l : lines) if (l.startsWith(":")) labels.add(l.substring(1).strip().toLowerCase());
		Matcher jumps = Pattern.compile("(?i)(?:goto|call) :(\\w+)").matcher(cmd);
		while (jumps.find()) {
			String label = jumps.group(1).toLowerCase();
			assertTrue(label.equals("eof") || labels.contains(label), "parascope.cmd jumps to a missing label :" + label);
		}
		for (String l : lines) {
			if (l.startsWith("rem ")) continue;
			assertEquals(count(l, '('), count(l, ')'), "unbalanced parentheses in parascope.cmd: " + l);
			assertEquals(0, count(l, '"') % 2, "unbalanced quotes in parascope.cmd: " + l);
		}
		assertTrue(cmd.contains("\"%PARASCOPE_LIB%\\parascope.jar\" %*"), "runs lib\\parascope.jar with every argument");
		assertTrue(cmd.contains("set \"PARASCOPE_JVM=" + String.join(" ", leanOptions(home)) + "\""),
			"the same JVM options as bin/parascope");
	}

	/** The detached monitor's container runs with the launcher's control-plane options. */
	@Test
	void theMonitorTaskHasTheLaunchersJvmOptions() throws Exception {
		assertEquals(leanOptions(unpacked()), List.of(MonitorTask.JAVA_OPTIONS.split(" ")));
	}

	@Test
	void theBridgeIsAWheel() throws IOException {
		List<Path> wheels = new ArrayList<>();
		try (Stream<Path> s = Files.list(Path.of(System.getProperty("parascope.wheels", "target/python")))) {
			s.filter(p -> p.toString().endsWith(".whl")).forEach(wheels::add);
		}
		assertEquals(1, wheels.size(), wheels.toString());
		assertTrue(wheels.get(0).getFileName().toString().matches("parascope_cellprofiler-[0-9.]+-py3-none-any\\.whl"), wheels.toString());
		try (ZipFile whl = new ZipFile(wheels.get(0).toFile())) {
			assertTrue(whl.getEntry("parascope_bridge/__init__.py") != null, "the bridge's package");
			String metadata = whl.stream().filter(e -> e.getName().endsWith(".dist-info/METADATA")).findFirst()
				.map(e -> read(whl, e)).orElse("");
			assertTrue(metadata.contains("Name: parascope-cellprofiler"), metadata);
		}
	}

	/** The line lean=(...) of bin/parascope. */
	static List<String> leanOptions(Path home) throws IOException {
		Matcher m = Pattern.compile("(?m)^lean=\\(([^)]*)\\)").matcher(Files.readString(home.resolve("bin/parascope")));
		assertTrue(m.find(), "bin/parascope sets lean=(...)");
		return List.of(m.group(1).strip().split("\\s+"));
	}

	private static String read(ZipFile zip, ZipEntry e) {
		try {
			return new String(zip.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException x) {
			throw new IllegalStateException(x);
		}
	}

	private static long count(String s, char c) {
		return s.chars().filter(x -> x == c).count();
	}
}
