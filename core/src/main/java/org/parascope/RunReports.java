package org.parascope;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.parascope.aws.AwsClients;
import org.parascope.aws.Names;
import org.parascope.aws.store.S3ObjectStore;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;
import org.parascope.machines.MachineHistory;
import org.parascope.machines.MachineRecord;
import org.parascope.report.Ec2SpotPrices;
import org.parascope.report.FiguresBuilder;
import org.parascope.report.ReportPage;
import org.parascope.report.Reports;
import org.parascope.report.RunFigures;
import org.parascope.report.RunReport;
import org.parascope.run.RunState;
import org.parascope.trace.TracePlace;

/**
 * A run's report (docs/trace.md), made from its trace: a local run's beside its trace, an AWS run's from
 * the trace its workers wrote in AWS_BUCKET, priced from EC2's spot price history, and stored there.
 */
final class RunReports {

	private final Config config;
	private final AwsClients aws;

	RunReports(Config config, AwsClients aws) {
		this.config = config;
		this.aws = aws;
	}

	/**
	 * Writes the report of a local run beside its trace and returns its path; {@code source} is the trace,
	 * its run's folder or a results folder (its latest run).
	 */
	static Path writeLocal(Config config, Path source, String title, long expectedTasks) {
		Path trace = Reports.localTrace(source);
		Path page = trace.resolveSibling(Reports.REPORT_FILE);
		Reports.write(page, ReportPage.html(local(config, trace, title, expectedTasks)));
		return page;
	}

	/** The figures of a local run's report; {@code source} as {@link #writeLocal}. */
	static RunFigures local(Config config, Path source, String title, long expectedTasks) {
		Path trace = Reports.localTrace(source);
		List<String> notes = new ArrayList<>();
		FiguresBuilder tries = Reports.readLocal(trace, notes);
		String name = title != null ? title : tries.job() != null ? tries.job() : trace.getParent().getFileName().toString();
		return RunReport.figures("Run report: " + name + " (local)", trace.toAbsolutePath().toString(), tries, expectedTasks,
			null, RunReport.Settings.of(config), Optional.empty(), RunReport.Fleet.NONE, notes);
	}

	/** The figures of the fleet's run that {@code stateFile} (start-fleet's) records: the tries since the fleet started. */
	RunFigures fleet(Path stateFile) {
		RunState state = RunState.read(stateFile);
		return cloud(state.startTime(), "fleet " + state.fleetId());
	}

	/** The figures of an AWS run's report: the tries that started from {@code from} on (a fleet's start, a job's submission). */
	RunFigures cloud(Instant from, String what) {
		String bucket = config.string(ConfigKey.AWS_BUCKET);
		if (bucket == null) throw new ParascopeException("AWS_BUCKET is not set: the bucket that holds the run's trace");
		String app = Names.of(config).app();
		List<String> notes = new ArrayList<>();
		S3ObjectStore store = S3ObjectStore.of(aws, bucket);
		FiguresBuilder tries = Reports.readStore(store, TracePlace.prefix(app), from, notes);
		if (tries.tries() == 0) notes.add("no tries in s3://" + bucket + "/" + TracePlace.prefix(app) + " since " + from);
		List<MachineRecord> machines = MachineHistory.since(store, app, from, notes);
		return RunReport.figures("Run report: " + app + " (" + what + ")", "s3://" + bucket + "/" + TracePlace.prefix(app)
			+ " since " + from, tries, 0, "parascope logs", RunReport.Settings.of(config),
			Optional.of(new Ec2SpotPrices(aws.ec2())), new RunReport.Fleet(machines, from), notes);
	}

	/** Stores an AWS run's report in AWS_BUCKET, next to its trace; returns its s3:// location. */
	String store(RunFigures figures) {
		String bucket = config.string(ConfigKey.AWS_BUCKET);
		String key = Reports.reportKey(TracePlace.runPrefix(Names.of(config).app()), Instant.now());
		Path temp = LocalScratch.inTemp().resolve(Reports.REPORT_FILE);
		try {
			Reports.write(temp, ReportPage.html(figures));
			S3ObjectStore.of(aws, bucket).put(key, temp);
		}
		finally {
			LocalScratch.delete(temp.getParent());
		}
		return "s3://" + bucket + "/" + key;
	}
}
