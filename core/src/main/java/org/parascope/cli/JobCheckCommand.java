package org.parascope.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.parascope.ParascopeException;
import org.parascope.job.Job;
import org.parascope.job.JobName;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "check", mixinStandardHelpOptions = true,
	description = { "Checks a job file offline, with no AWS account: every problem at once, each with its JSON path; "
		+ "exit code 0 when the file is valid, 2 when not. 'submit --dry-run' with credentials also checks the buckets "
		+ "and the objects the job names.",
		"With --name, checks a job name instead by the one rule every face uses (the Fiji plugin's, the CellProfiler "
			+ "module's, the job makers'): exit code 0 when valid, 2 with the rule when not." })
final class JobCheckCommand implements Callable<Integer> {

	/** What only a check with AWS credentials can see: said after every offline check. */
	static final String NOT_CHECKED = "Not checked without AWS: that the buckets exist and hold the pipelines, scripts, "
		+ "data files and inputs the job names, and that the queue exists ('parascope submit JOB --dry-run' with "
		+ "credentials checks them).";

	@ParentCommand
	JobCommand job;

	@Spec
	CommandSpec spec;

	@Parameters(paramLabel = "JOB", arity = "0..1",
		description = "The job file (native, Distributed-CellProfiler, -Fiji or -Something format).")
	Path file;

	@Option(names = "--name", paramLabel = "NAME", description = "A job name to check instead of a file.")
	String name;

	@Override
	public Integer call() {
		if ((file == null) == (name == null)) throw new ParascopeException("job check: give a job file or --name NAME (one of them)");
		PrintWriter out = spec.commandLine().getOut();
		if (name != null) {
			out.println("Job name '" + JobName.check(name) + "' is valid.");
			return Main.OK;
		}
		Job checked = Job.read(job.main.workDir().resolve(file));
		out.println(valid(file, checked));
		out.println(NOT_CHECKED);
		return Main.OK;
	}

	static String valid(Path file, Job job) {
		return "Job " + file + " (" + job.format() + " format): " + job.taskCount() + " task" + (job.taskCount() == 1 ? "" : "s")
			+ ", all valid.";
	}
}
