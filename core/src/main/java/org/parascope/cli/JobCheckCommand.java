package org.parascope.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.parascope.job.Job;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "check", mixinStandardHelpOptions = true,
	description = { "Checks a job file offline, with no AWS account: every problem at once, each with its JSON path; "
		+ "exit code 0 when the file is valid, 2 when not. 'submit --dry-run' with credentials also checks the buckets "
		+ "and the objects the job names." })
final class JobCheckCommand implements Callable<Integer> {

	/** What only a check with AWS credentials can see: said after every offline check. */
	static final String NOT_CHECKED = "Not checked without AWS: that the buckets exist and hold the pipelines, scripts, "
		+ "data files and inputs the job names, and that the queue exists ('parascope submit JOB --dry-run' with "
		+ "credentials checks them).";

	@ParentCommand
	JobCommand job;

	@Parameters(paramLabel = "JOB", description = "The job file (native, Distributed-CellProfiler, -Fiji or -Something format).")
	Path file;

	@Override
	public Integer call() {
		Job checked = Job.read(job.main.workDir().resolve(file));
		System.out.println(valid(file, checked));
		System.out.println(NOT_CHECKED);
		return Main.OK;
	}

	static String valid(Path file, Job job) {
		return "Job " + file + " (" + job.format() + " format): " + job.taskCount() + " task" + (job.taskCount() == 1 ? "" : "s")
			+ ", all valid.";
	}
}
