package org.parascope.cli;

import java.util.concurrent.Callable;

import org.parascope.Parascope;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "init-account", mixinStandardHelpOptions = true,
	description = { "One-time account setup (Distributed-CellProfiler's setup_AWS.py): creates the IAM roles "
		+ "runs need. ParascopeEcsInstanceRole and its instance profile (fleet instances join the ECS cluster), "
		+ "ParascopeSpotFleetRole (Spot Fleet launches and tags instances), and APP_NAME+'TaskRole' (worker "
		+ "containers: only the configured queue, buckets and log groups). No *FullAccess policies.",
		"Prints each role with its ARN: created, unchanged, or updated. Run it again after changing the queue, "
			+ "bucket or log group settings: it updates the task role's policy. Roles of the same name that "
			+ "Parascope did not create are left as they are.",
		"--json prints {\"region\", \"resources\": [LINE, ...]}, or {\"error\"}." },
	footer = { "", "Examples:", "  parascope --config config.py init-account",
		"  parascope --config config.py init-account --destroy", "", "More: docs/aws.md, section One-time account setup." })
final class InitAccountCommand implements Callable<Integer> {

	@ParentCommand
	Main main;

	@Option(names = "--destroy",
		description = "Remove what init-account created (the roles and instance profile tagged CreatedBy=parascope init-account), and nothing else.")
	boolean destroy;

	@Mixin
	Output output;

	@Override
	public Integer call() {
		try (Parascope parascope = main.cloud(output)) {
			output.lines(parascope.region(), "resources",
				destroy ? parascope.destroyAccountSetup() : parascope.initAccount());
		}
		return Main.OK;
	}
}
