package org.parascope.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "from-files", mixinStandardHelpOptions = true)
final class JobFromFilesCommand implements Callable<Integer> {

	@ParentCommand
	JobCommand job;

	@Override
	public Integer call() {
		return Main.OK;
	}
}
