package org.parascope.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code parascope job ...}: making job files and checking them (docs/jobs.md). */
@Command(name = "job", mixinStandardHelpOptions = true,
	description = "Makes job files (from run_batch_general's arguments, a folder of files, a LoadData CSV) and checks them.",
	subcommands = { JobBatchCommand.class, JobFromFilesCommand.class, JobFromLoadDataCommand.class, JobCheckCommand.class })
final class JobCommand {

	@ParentCommand
	Main main;
}
