package org.parascope.plugin;

import java.nio.file.Path;
import java.util.Map;

import org.parascope.Parascope;
import org.parascope.config.Config;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.service.AbstractService;
import org.scijava.service.SciJavaService;
import org.scijava.service.Service;

/**
 * Where the Fiji face keeps its settings and records, and how it opens the facade. The folder (the
 * system property {@code parascope.fiji.home}, else ~/.parascope/fiji) holds parascope.yml written by
 * Configure, and files/ with the state files and job records the command line also reads.
 */
@Plugin(type = Service.class)
public final class ParascopeService extends AbstractService implements SciJavaService {

	@Parameter(required = false)
	private LogService log;

	private Path home;
	private Map<String, String> env;

	@Override
	public void initialize() {
		String configured = System.getProperty("parascope.fiji.home");
		home = configured != null ? Path.of(configured)
			: Path.of(System.getProperty("user.home"), ".parascope", "fiji");
		env = System.getenv();
	}

	/**
	 * Another folder and environment (AWS_ENDPOINT_URL and the like, as the command line reads them): for
	 * a second set of settings, or a test that points Fiji at an AWS emulator.
	 */
	public synchronized void use(Path folder, Map<String, String> environment) {
		home = folder.toAbsolutePath();
		env = Map.copyOf(environment);
	}

	public synchronized Path home() {
		return home;
	}

	public Settings settings() {
		return new Settings(home().resolve(Settings.FILE));
	}

	/** The saved settings with the environment's overrides, as every command uses them. */
	public Config config() {
		return Config.discover(home(), environment(), this::warn);
	}

	/** The facade on the current settings; close it after use. */
	public Parascope open() {
		Config config = config();
		return new Parascope(config, null, null, environment());
	}

	/** The state file Start Fleet writes and Monitor Job and Clean Up read. */
	public Path stateFile(Config config) {
		return Parascope.stateFile(config, home());
	}

	/** Where each submitted or local job's files are written: jobs/NAME. */
	public Path jobFolder(String job) {
		return home().resolve("jobs").resolve(job);
	}

	/** The environment AWS clients read (endpoints), as the command line's. */
	synchronized Map<String, String> environment() {
		return env;
	}

	private void warn(String message) {
		if (log != null) log.warn("Parascope: " + message);
	}
}
