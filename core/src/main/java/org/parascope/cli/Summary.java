package org.parascope.cli;

import java.io.PrintWriter;

import org.parascope.LocalRun;
import org.parascope.progress.JobProgress;

/** The table printed when a run ends. */
final class Summary {

	private Summary() {}

	static void print(LocalRun.Result r, PrintWriter out) {
		JobProgress p = r.progress();
		out.println();
		out.printf("Job %s: %d tasks, %d workers, %s (%.1f tasks/s)%n", r.job(), p.total(), r.workers(),
			TerminalProgress.clock(p.elapsed()), p.throughput());
		out.printf("  %-28s %6d%n", "succeeded", p.succeeded());
		out.printf("  %-28s %6d%n", "skipped (results were there)", p.skipped());
		out.printf("  %-28s %6d%n", "failed (every try)", p.dead());
		out.printf("  %-28s %6d%n", "retried tries", p.retries());
		if (!r.failed().isEmpty()) {
			out.println();
			out.println("Failed tasks:");
			for (LocalRun.FailedTask f : r.failed()) {
				out.println("  " + f.task().label() + ": " + f.reason());
			}
		}
		out.println();
		out.println("Results: " + r.results());
		// One line programs can find: the CellProfiler module and scripts look for "Report: ".
		if (r.report() != null) out.println("Report: " + r.report());
	}
}
