package org.parascope.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.parascope.Parascope;
import org.parascope.ParascopeException;
import org.parascope.run.TeardownResult;

import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "cleanup", mixinStandardHelpOptions = true,
	description = { "Tears a run down now, as the monitor does at the end: first the detached monitor's ECS service "
		+ "(without a state file, every APP_NAME + Monitor-<fleet id> service of this app), then the service to 0, the "
		+ "app's alarms, the fleet (machines terminated) and its launch template, the queue, the service, the task "
		+ "definitions, the cluster (unless it is 'default' or used by others), the dashboard (if CLEAN_DASHBOARD), "
		+ "and it exports the logs to s3://AWS_BUCKET/exportedlogs/<log group>/.",
		"The dead-letter queue is kept while it holds failed tasks, for 'parascope retry-failed'. Whatever is "
			+ "already gone is reported as such, so cleanup can be run again at any time. One line per resource.",
		"Exit code 0 when everything is gone (1: some resource could not be removed; run again later).",
		"--json prints {\"region\", \"complete\", \"resources\": [LINE, ...], \"problems\": [LINE, ...]}, or "
			+ "{\"error\"}." },
	footer = { "", "Examples:", "  parascope cleanup", "  parascope --config config.py cleanup files/MyAppSpotFleetRequestId.json" })
final class CleanupCommand implements Callable<Integer> {

	@ParentCommand
	Main main;

	@Parameters(arity = "0..1", paramLabel = "STATE",
		description = "The state file start-fleet wrote (default: files/<APP_NAME>SpotFleetRequestId.json if it "
			+ "exists; without one, resources are found by the config's names).")
	Path state;

	@Mixin
	Output output;

	@Override
	public Integer call() {
		try (Parascope parascope = main.cloud(output)) {
			Optional<Path> file;
			if (state != null) {
				if (!Files.isRegularFile(state)) throw new ParascopeException(state + ": no such state file");
				file = Optional.of(state);
			}
			else {
				Path usual = Parascope.stateFile(parascope.config(), main.workDir());
				file = Optional.of(usual).filter(Files::isRegularFile);
				if (file.isEmpty()) output.note("no state file at " + usual + ": looking for resources by the config's names");
			}
			TeardownResult result = parascope.cleanup(file, output::text);
			if (output.json()) {
				ObjectNode json = output.object().put("region", parascope.region()).put("complete", result.complete());
				result.lines().forEach(json.putArray("resources")::add);
				result.problems().forEach(json.putArray("problems")::add);
				output.json(json);
			}
			return result.complete() ? Main.OK : Main.TASKS_FAILED;
		}
	}
}
