package org.parascope.cellprofiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.ParascopeException;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;

/**
 * DCP's plugin steps with real git and real pip: a plugins repository cloned from a local origin
 * that has moved on, and a fresh Python environment (made from the tests' .venv, with its own pip)
 * standing for CellProfiler's. The repository builds with a backend of its own, so pip needs no network.
 */
class CellProfilerPluginsTest {

	@TempDir
	Path dir;

	private Path origin;
	private Path clone;
	private final List<String> notes = new ArrayList<>();

	@BeforeEach
	void repositories() throws Exception {
		origin = Files.createDirectories(dir.resolve("origin"));
		git(origin, "init", "--quiet", "--initial-branch=main");
		try (InputStream backend = getClass().getResourceAsStream("plugins_backend.py")) {
			Files.copy(backend, origin.resolve("plugins_backend.py"));
		}
		Files.writeString(origin.resolve("pyproject.toml"), """
			[build-system]
			requires = []
			build-backend = "plugins_backend"
			backend-path = ["."]
			""");
		Files.writeString(Files.createDirectories(origin.resolve("active_plugins")).resolve("runold.py"), "OLD = 1\n");
		commit(origin, "v1");
		clone = dir.resolve("CellProfiler-plugins");
		git(dir, "clone", "--quiet", origin.toString(), clone.toString());
		// The origin moves on after the image was built: v2 adds a plugin, a later commit another.
		Files.writeString(origin.resolve("active_plugins/runnew.py"), "NEW = 2\n");
		commit(origin, "v2");
		Files.writeString(origin.resolve("active_plugins/runlater.py"), "LATER = 3\n");
		commit(origin, "v3");
	}

	@Test
	void updatesChecksOutTheCommitAndInstallsTheRequirementsIntoCellProfilersPython() throws Exception {
		Path python = pythonEnvironment();
		Config config = Config.defaults().with(ConfigKey.USE_PLUGINS, true).with(ConfigKey.UPDATE_PLUGINS, true)
			.with(ConfigKey.PLUGINS_COMMIT, "v2").with(ConfigKey.INSTALL_REQUIREMENTS, true)
			.with(ConfigKey.REQUIREMENTS, "--no-index")
			.with(ConfigKey.CELLPROFILER_PLUGINS_DIRECTORY, clone.resolve("active_plugins").toString())
			.with(ConfigKey.CELLPROFILER_EXECUTABLE, python.resolveSibling("cellprofiler").toString());
		CellProfilerPlugins.prepare(config, notes::add);
		assertTrue(Files.exists(clone.resolve("active_plugins/runnew.py")), "pulled: " + notes);
		assertFalse(Files.exists(clone.resolve("active_plugins/runlater.py")), "v2 checked out, not the newest: " + notes);
		assertEquals(0, run(dir, python.toString(), "-c", "import active_plugins.runnew"),
			"the plugins repository is installed in CellProfiler's Python: " + notes);
		// A worker started again on the same disk: the checkout left no branch to pull into, and that is no failure.
		CellProfilerPlugins.prepare(config, notes::add);
		assertFalse(Files.exists(clone.resolve("active_plugins/runlater.py")), notes.toString());
	}

	@Test
	void aPasswordInARequirementsUrlIsNotLogged() {
		String shown = CellProfilerPlugins.shown(List.of("python", "-m", "pip", "install", "-e", ".", "--index-url",
			"https://reader:s3cret-token@pypi.example.org/simple"));
		assertEquals("python -m pip install -e . --index-url https://***@pypi.example.org/simple", shown);
	}

	@Test
	void anOlderRepositoryInstallsTheRequirementsFileNamed() throws Exception {
		Path legacy = Files.createDirectories(dir.resolve("legacy"));
		Files.copy(origin.resolve("plugins_backend.py"), legacy.resolve("plugins_backend.py"));
		Files.copy(origin.resolve("pyproject.toml"), legacy.resolve("pyproject.toml"));
		Files.writeString(legacy.resolve("requirements.txt"), "--no-index\n.\n");
		Path python = pythonEnvironment();
		Config config = Config.defaults().with(ConfigKey.USE_PLUGINS, true).with(ConfigKey.INSTALL_REQUIREMENTS, true)
			.with(ConfigKey.REQUIREMENTS, "requirements.txt")
			.with(ConfigKey.CELLPROFILER_PLUGINS_DIRECTORY, legacy.toString())
			.with(ConfigKey.CELLPROFILER_EXECUTABLE, python.resolveSibling("cellprofiler").toString());
		CellProfilerPlugins.prepare(config, notes::add);
		assertEquals(0, run(dir, python.toString(), "-c", "import parascope_test_plugins as p; assert p.HOW == 'installed'"),
			notes.toString());
	}

	@Test
	void anUnknownCommitStopsTheWorkerWithGitsWords() throws Exception {
		Config config = Config.defaults().with(ConfigKey.USE_PLUGINS, true).with(ConfigKey.PLUGINS_COMMIT, "no-such-tag")
			.with(ConfigKey.CELLPROFILER_PLUGINS_DIRECTORY, clone.resolve("active_plugins").toString());
		ParascopeException e = assertThrows(ParascopeException.class, () -> CellProfilerPlugins.prepare(config, notes::add));
		assertTrue(e.getMessage().startsWith("PLUGINS_COMMIT: 'git checkout --quiet no-such-tag --' in " + clone), e.getMessage());
		assertTrue(e.getMessage().contains("no-such-tag"), e.getMessage());
	}

	@Test
	@Timeout(60)
	void aStepThatHangsIsEndedAtTheLimit() throws Exception {
		// A stand-in for pip hanging on a network that never answers: no real pip hangs on demand here.
		// It is CellProfiler's Python, as the first line of CELLPROFILER_EXECUTABLE names it.
		Path bin = Files.createDirectories(dir.resolve("bin"));
		Path pid = dir.resolve("pip.pid");
		Path python = script(bin.resolve("python3"), "#!/bin/sh\necho $$ > '" + pid + "'\nexec sleep 600\n");
		Path cellprofiler = script(bin.resolve("cellprofiler"), "#!" + python + "\n");
		Config config = Config.defaults().with(ConfigKey.USE_PLUGINS, true).with(ConfigKey.INSTALL_REQUIREMENTS, true)
			.with(ConfigKey.CELLPROFILER_PLUGINS_DIRECTORY, clone.resolve("active_plugins").toString())
			.with(ConfigKey.CELLPROFILER_EXECUTABLE, cellprofiler.toString());
		ParascopeException e = assertThrows(ParascopeException.class,
			() -> CellProfilerPlugins.prepare(config, Duration.ofSeconds(2), notes::add));
		assertTrue(e.getMessage().startsWith("INSTALL_REQUIREMENTS: '" + python + " -m pip install -e ."), e.getMessage());
		assertTrue(e.getMessage().contains(" in " + clone + ": "), e.getMessage());
		assertTrue(e.getMessage().contains("did not end within 2 s"), e.getMessage());
		assertTrue(Files.exists(pid), "the stand-in started within the limit");
		Optional<ProcessHandle> hung = ProcessHandle.of(Long.parseLong(Files.readString(pid).strip()));
		hung.ifPresent(p -> p.onExit().completeOnTimeout(p, 10, TimeUnit.SECONDS).join());
		assertFalse(hung.map(ProcessHandle::isAlive).orElse(false), "the hung install was ended");
	}

	@Test
	void withoutUsePluginsNothingIsTouched() throws Exception {
		Config config = Config.defaults().with(ConfigKey.UPDATE_PLUGINS, true).with(ConfigKey.PLUGINS_COMMIT, "no-such-tag")
			.with(ConfigKey.CELLPROFILER_PLUGINS_DIRECTORY, clone.resolve("active_plugins").toString());
		CellProfilerPlugins.prepare(config, notes::add);
		assertFalse(Files.exists(clone.resolve("active_plugins/runnew.py")));
		assertEquals(List.of(), notes);
	}

	/** A new Python environment with pip, made from the tests' .venv: CellProfiler's stand-in for what is installed. */
	private Path pythonEnvironment() throws Exception {
		Path venv = dir.resolve("venv");
		Path base = CellProfilerInstall.executable().resolveSibling("python");
		assertEquals(0, run(dir, base.toString(), "-m", "venv", venv.toString()), "python -m venv");
		return venv.resolve("bin/python");
	}

	private static Path script(Path file, String text) throws Exception {
		Files.writeString(file, text);
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
		return file;
	}

	private static void commit(Path repo, String tag) throws Exception {
		git(repo, "add", "-A");
		git(repo, "-c", "user.name=Parascope test", "-c", "user.email=test@parascope.invalid", "commit", "--quiet", "-m", tag);
		git(repo, "tag", tag);
	}

	private static void git(Path dir, String... args) throws Exception {
		List<String> argv = new ArrayList<>(List.of("git"));
		argv.addAll(List.of(args));
		assertEquals(0, run(dir, argv.toArray(String[]::new)), String.join(" ", argv));
	}

	private static int run(Path dir, String... argv) throws Exception {
		Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		int exit = p.waitFor();
		if (exit != 0) System.err.println(String.join(" ", argv) + ":\n" + out);
		return exit;
	}
}
