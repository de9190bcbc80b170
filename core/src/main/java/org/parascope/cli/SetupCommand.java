package org.parascope.cli;

import java.util.concurrent.Callable;

import org.parascope.Parascope;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

@Command(name = "setup", mixinStandardHelpOptions = true,
	description = { "Creates, or brings up to date, what the app's runs use, named from the config as "
		+ "Distributed-CellProfiler names them: the dead-letter queue and the task queue (14-day retention, "
		+ "SQS_MESSAGE_VISIBILITY, dead-lettered after JOB_RETRIES receives), the log groups LOG_GROUP_NAME and "
		+ "LOG_GROUP_NAME_perInstance (60-day retention), the ECS cluster, the task definition APP_NAME+'Task' "
		+ "(DOCKERHUB_TAG, CPU_SHARES, MEMORY, the settings as environment, the task role for credentials) and "
		+ "the service APP_NAME+'Service' (0 tasks until start-fleet).",
		"Prints one line per resource: created, unchanged, or updated with what changed. Running it again "
			+ "changes nothing. Names AWS would reject are reported by config key before anything is created.",
		"Needs the task role that 'parascope init-account' creates.",
		"--json prints {\"region\", \"resources\": [LINE, ...]}, or {\"error\"}." },
	footer = { "", "Example (Distributed-CellProfiler's 'python run.py setup'):",
		"  parascope --config config.py setup", "", "More: docs/aws.md, section Setup." })
final class SetupCommand implements Callable<Integer> {

	@ParentCommand
	Main main;

	@Mixin
	Output output;

	@Override
	public Integer call() {
		try (Parascope parascope = main.cloud(output)) {
			output.lines(parascope.region(), "resources", parascope.setup());
		}
		return Main.OK;
	}
}
