package org.parascope.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.parascope.LocalRun;
import org.parascope.Parascope;
import org.parascope.ParascopeException;
import org.parascope.submit.Uploads;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "run", mixinStandardHelpOptions = true,
	description = { "Runs a job. With --local, on this machine: N workers take the job's tasks from a local "
		+ "queue; scripts and inputs are read from the job file's folder; no AWS account is needed.",
		"Exit code 0 only if every task succeeded (1: some task failed; 2: bad input)." },
	footer = { "", "Example:", "  parascope --config examples/nuclei/parascope.yml run --local examples/nuclei/job.json --workers 2" })
final class RunCommand implements Callable<Integer> {

	@ParentCommand
	Main main;

	@Spec
	CommandSpec spec;

	@Option(names = "--local", required = true,
		description = "Run on this machine (running on AWS is 'submit' plus 'start-fleet').")
	boolean local;

	@Parameters(paramLabel = "JOB", description = "The job file (native, Distributed-CellProfiler, -Fiji or -Something format).")
	Path job;

	@Option(names = "--workers", paramLabel = "N", defaultValue = "2",
		description = "Workers running at once (default: ${DEFAULT-VALUE}).")
	int workers;

	@Option(names = "--output", paramLabel = "DIR", defaultValue = "parascope-results",
		description = "Folder for the results (default: ${DEFAULT-VALUE}).")
	Path output;

	@Option(names = "--upload", paramLabel = "LIST",
		description = "Link the files LIST names (the list 'submit --upload' reads) below the job file's folder at their keys "
			+ "first, where the local run reads them: a job made for the buckets runs here as it is.")
	Path upload;

	@Override
	public Integer call() {
		LocalRun.Result result;
		try (Parascope parascope = main.parascope()) {
			Path job = main.workDir().resolve(this.job);
			Path output = main.workDir().resolve(this.output);
			if (!Files.isRegularFile(job)) throw new ParascopeException(job + ": no such job file");
			if (upload != null) {
				Uploads files = Uploads.read(main.workDir().resolve(upload));
				Parascope.stageLocally(job.getParent(), files.workspace());
				Parascope.stageLocally(job.getParent(), files.source());
			}
			TerminalProgress progress = TerminalProgress.forConsole(spec.commandLine().getErr());
			result = parascope.runLocal(job, workers, output, progress);
			progress.finish();
		}
		Summary.print(result, spec.commandLine().getOut());
		return result.allSucceeded() ? Main.OK : Main.TASKS_FAILED;
	}
}
