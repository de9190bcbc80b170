package org.parascope.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Fiji update site in a stand-in Fiji.app (target/Fiji.app: the jars of pom-scijava 45 that Fiji ships and
 * Maven Central serves, see this module's pom and docs/fiji.md, with the update site's files copied in, as
 * the build leaves it): no class twice, and a SciJava Context on exactly those jars finds every Parascope
 * command and runs them headless, on Java 17 and on Java 25.
 */
class FijiFitIT {

	static final Path FIJI = Path.of(System.getProperty("parascope.fiji", "target/Fiji.app"));
	static final String VERSION = System.getProperty("parascope.version");
	static final Path EXAMPLES = Path.of("../examples").toAbsolutePath().normalize();

	@TempDir
	Path tmp;

	@Test
	void theUpdateSiteHoldsThePluginAndTheCrtOnly() throws IOException {
		assertEquals(List.of("plugins/Parascope-" + VERSION + ".jar"), files("plugins"));
		List<String> jars = files("jars").stream().filter(j -> j.contains("aws-crt")).toList();
		assertTrue(jars.size() == 1 && jars.get(0).matches("jars/aws-crt-[0-9.]+\\.jar"), "the CRT under Fiji's name: " + jars);
	}

	@Test
	void noClassExistsTwiceAcrossAllJars() throws IOException {
		Map<String, Set<String>> where = new TreeMap<>();
		List<String> all = new ArrayList<>(files("jars"));
		all.addAll(files("plugins"));
		for (String jar : all) {
			try (ZipFile zip = new ZipFile(FIJI.resolve(jar).toFile())) {
				for (ZipEntry e : zip.stream().toList()) {
					// A multi-release jar's versions of a class are one class.
					String name = e.getName().replaceFirst("^META-INF/versions/[0-9]+/", "");
					if (!name.endsWith(".class") || name.endsWith("module-info.class")) continue;
					where.computeIfAbsent(name, k -> new TreeSet<>()).add(jar);
				}
			}
		}
		Map<String, Set<String>> twice = where.entrySet().stream().filter(e -> e.getValue().size() > 1)
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
		// By jar pair, a few classes each: the message stays readable.
		Map<Set<String>, List<String>> byJars = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
		twice.forEach((cls, jars) -> byJars.computeIfAbsent(jars, k -> new ArrayList<>()).add(cls));
		String report = byJars.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue().size() + " classes, e.g. "
			+ e.getValue().subList(0, Math.min(3, e.getValue().size()))).collect(Collectors.joining("\n"));
		assertTrue(twice.isEmpty(), "classes in more than one jar of " + FIJI + ":\n" + report);
		assertTrue(where.size() > 50_000, "a stand-in Fiji of some size: " + where.size() + " classes");
	}

	@Test
	void aContextOnTheseJarsFindsEveryCommandAndRunsThemOnJava17() throws Exception {
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		assertContextWorks(java, 17);
	}

	/**
	 * Current Fiji runs on Java 21 and later; this machine image (and CI's) has a Java 25 JDK. Not there is a
	 * failure that says where it was looked for, not a skip.
	 */
	@Test
	void aContextOnTheseJarsFindsEveryCommandAndRunsThemOnJava25() throws Exception {
		Path home = Path.of(System.getProperty("parascope.java25", "/usr/lib/jvm/temurin-25-jdk-amd64"));
		Path java = home.resolve("bin/java");
		assertTrue(Files.isExecutable(java), "no Java 25 at " + home + ": install a JDK 25 (e.g. Debian's or Adoptium's"
			+ " temurin-25-jdk) or give its folder with mvn -Djava25.home=...; the plugin's Fiji fit is tested on it");
		assertContextWorks(java, 25);
	}

	private void assertContextWorks(Path java, int feature) throws Exception {
		Processes version = Processes.run(tmp, Map.of(), List.of(java.toString(), "-version"));
		assertTrue(version.err().matches("(?s).*version \"" + feature + "[.\"].*"), java + " is not Java " + feature + ": " + version.err());

		Path images = Files.createDirectories(tmp.resolve("images"));
		for (int i = 1; i <= 3; i++) {
			String name = String.format("cells_%02d.png", i);
			Files.copy(EXAMPLES.resolve("nuclei/images/" + name), images.resolve(name));
		}
		Path macro = Path.of("src/test/resources/mean_intensity.ijm").toAbsolutePath();
		Path results = tmp.resolve("results");
		// Exactly the Fiji's jars, and the probe's own class folder.
		List<String> classPath = new ArrayList<>();
		for (String jar : files("jars")) classPath.add(FIJI.resolve(jar).toAbsolutePath().toString());
		for (String jar : files("plugins")) classPath.add(FIJI.resolve(jar).toAbsolutePath().toString());
		classPath.add(Path.of(FijiProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
		// As Fiji's launcher starts it: headless here, and java.lang open to ImageJ's patcher.
		Processes probe = Processes.run(tmp, Map.of(), List.of(java.toString(), "-Djava.awt.headless=true",
			"--add-opens=java.base/java.lang=ALL-UNNAMED", "-Dparascope.fiji.home=" + tmp.resolve("home"),
			"-cp", String.join(File.pathSeparator, classPath), FijiProbe.class.getName(), images.toString(), macro.toString(),
			results.toString()));
		assertEquals(0, probe.exit(), probe.toString());

		Set<String> found = probe.out().lines().filter(l -> l.startsWith("COMMAND ")).map(l -> l.substring(8))
			.collect(Collectors.toCollection(TreeSet::new));
		assertEquals(commandsInThePlugin(), found, probe.toString());
		assertTrue(probe.out().contains("ABOUT Parascope " + VERSION + ":"), probe.toString());
		assertTrue(probe.out().contains("RUN 3 of 3 tasks succeeded"), probe.toString());
		for (int i = 1; i <= 3; i++) {
			String image = String.format("cells_%02d", i);
			List<String> rows = Files.readAllLines(results.resolve(image + "/" + image + ".csv"));
			assertEquals("file,mean", rows.get(0));
			assertTrue(rows.get(1).matches(image + "\\.png,[0-9]+\\.[0-9]{3}"), rows.toString());
		}
	}

	/** The commands the plugin's SciJava index declares (what Fiji's menu is built from). */
	private Set<String> commandsInThePlugin() throws IOException {
		try (ZipFile zip = new ZipFile(FIJI.resolve("plugins/Parascope-" + VERSION + ".jar").toFile())) {
			String index = new String(zip.getInputStream(zip.getEntry("META-INF/json/org.scijava.plugin.Plugin")).readAllBytes(),
				StandardCharsets.UTF_8);
			Set<String> commands = new TreeSet<>();
			Matcher m = Pattern.compile("\"class\"\\s*:\\s*\"([^\"]+)\"[^}]*?\"type\"\\s*:\\s*\"org\\.scijava\\.command\\.Command\"").matcher(index);
			while (m.find()) commands.add(m.group(1));
			assertTrue(commands.size() >= 8, "the plugin's commands: " + commands + " in\n" + index);
			return commands;
		}
	}

	private static List<String> files(String folder) throws IOException {
		try (Stream<Path> s = Files.list(FIJI.resolve(folder))) {
			return s.map(p -> folder + "/" + p.getFileName()).filter(n -> n.endsWith(".jar")).sorted().toList();
		}
	}
}
