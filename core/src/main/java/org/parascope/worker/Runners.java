package org.parascope.worker;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.parascope.ParascopeException;
import org.parascope.config.Config;
import org.parascope.job.Task;

/** One worker's runners: created on first use, one per provider, closed with the worker. */
public final class Runners implements AutoCloseable {

	private final List<RunnerProvider> providers;
	private final Config config;
	private final Map<RunnerProvider, Runner> started = new HashMap<>();

	public Runners(List<RunnerProvider> providers, Config config) {
		this.providers = List.copyOf(providers);
		this.config = config;
	}

	/** The providers on the class path. */
	public static List<RunnerProvider> installed() {
		return ServiceLoader.load(RunnerProvider.class).stream().map(ServiceLoader.Provider::get).toList();
	}

	public Runner forTask(Task task, Path script) {
		for (RunnerProvider p : providers) {
			if (p.handles(task, script)) return started.computeIfAbsent(p, q -> q.create(config));
		}
		throw new ParascopeException("no runner for a " + task.engine().id() + " task with script "
			+ script.getFileName() + (providers.isEmpty() ? " (no engines are installed)" : ""));
	}

	@Override
	public void close() {
		started.values().forEach(Runner::close);
		started.clear();
	}
}
