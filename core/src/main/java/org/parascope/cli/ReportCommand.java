package org.parascope.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;

import org.parascope.Parascope;
import org.parascope.ParascopeException;
import org.parascope.report.ReportPage;
import org.parascope.report.Reports;
import org.parascope.report.RunFigures;
import org.parascope.submit.JobManifest;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "report", mixinStandardHelpOptions = true,
	description = { "Writes a run's report: one HTML file that opens in any browser without a network, with the "
		+ "summary, progress and throughput over time, machines over time, a timeline of every worker's tries, "
		+ "durations per engine with the slowest tasks, failures grouped by reason, the cost and what right-sized "
		+ "machines would have cost. It is made from the run's trace (docs/trace.md).",
		"SOURCE is a results folder of 'run --local' (its latest run), a run's folder or trace file in it; the "
		+ "state file start-fleet wrote (the fleet's run; default files/<APP_NAME>SpotFleetRequestId.json); or a job "
		+ "id that submit printed (the tries since that job was submitted). AWS runs read the trace in AWS_BUCKET and "
		+ "price the machines from EC2's spot price history.",
		"The last line printed is 'Report: <file>'. --json prints the same figures as one JSON object instead "
		+ "(the file is then written only with --output)." },
	footer = { "", "Examples:", "  parascope report parascope-results", "  parascope --config config.py report",
		"  parascope --config config.py report 3f9c2a --json > figures.json" })
final class ReportCommand implements Callable<Integer> {

	private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

	@ParentCommand
	Main main;

	@Spec
	CommandSpec spec;

	@Parameters(index = "0", arity = "0..1", paramLabel = "SOURCE",
		description = "Results folder, run folder or trace file of a local run; a state file; or a job id.")
	String source;

	@Option(names = "--output", paramLabel = "FILE",
		description = "Where to write the HTML (default: beside a local run's trace; for an AWS run "
			+ "<APP_NAME>-report-<time>.html in the current folder).")
	Path output;

	@Option(names = "--json", description = "Print the figures as JSON on standard output.")
	boolean json;

	@Override
	public Integer call() {
		try (Parascope parascope = main.parascope()) {
			Path workDir = main.workDir();
			Path local = local(parascope, workDir);
			RunFigures figures;
			Path page;
			if (local != null) {
				figures = parascope.localReport(local, null, 0);
				page = output != null ? workDir.resolve(output) : Reports.localTrace(local).resolveSibling(Reports.REPORT_FILE);
			}
			else {
				figures = cloud(parascope, workDir);
				page = output != null ? workDir.resolve(output)
					: workDir.resolve(parascope.app() + "-report-" + STAMP.format(Instant.now()) + ".html");
			}
			if (json) {
				spec.commandLine().getOut().println(ReportPage.json(figures));
				if (output == null) return Main.OK;
			}
			Reports.write(page, ReportPage.html(figures));
			(json ? spec.commandLine().getErr() : spec.commandLine().getOut()).println("Report: " + page.toAbsolutePath());
		}
		return Main.OK;
	}

	/** The local run SOURCE names, or null when it names an AWS run. */
	private Path local(Parascope parascope, Path workDir) {
		if (source == null) {
			Path state = Parascope.stateFile(parascope.config(), workDir);
			if (Files.isRegularFile(state)) return null;
			Path results = workDir.resolve("parascope-results");
			if (Files.isDirectory(results)) return results;
			throw new ParascopeException("no SOURCE given, and neither " + state + " (an AWS run) nor " + results
				+ " (a local run) exists");
		}
		Path path = workDir.resolve(source);
		if (Files.isDirectory(path) || Files.isRegularFile(path) && source.endsWith(".jsonl")) return path;
		return null;
	}

	private RunFigures cloud(Parascope parascope, Path workDir) {
		Path state = source == null ? Parascope.stateFile(parascope.config(), workDir) : workDir.resolve(source);
		if (Files.isRegularFile(state)) return parascope.fleetReport(state);
		Path manifests = JobManifest.folder(workDir, parascope.app());
		List<JobManifest> jobs = JobManifest.all(manifests).stream().filter(m -> m.jobId().startsWith(source)).toList();
		if (jobs.isEmpty()) {
			throw new ParascopeException(source + ": not a results folder, trace, state file or job id (no job with that id in "
				+ manifests + ")");
		}
		if (jobs.size() > 1) {
			throw new ParascopeException(source + ": several jobs have ids that begin so: "
				+ String.join(", ", jobs.stream().map(JobManifest::jobId).toList()));
		}
		return parascope.cloudReport(jobs.get(0).startedAt(), "job " + jobs.get(0).jobId());
	}
}
