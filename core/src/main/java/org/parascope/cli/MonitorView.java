package org.parascope.cli;

import java.io.PrintWriter;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

import org.parascope.monitor.MonitorListener;
import org.parascope.monitor.MonitorReading;

/** The monitor on a terminal or in a log: one line per reading (a minute apart), one per action. */
final class MonitorView implements MonitorListener {

	private final PrintWriter out;
	private boolean explained;

	MonitorView(PrintWriter out) {
		this.out = out;
	}

	@Override
	public void reading(MonitorReading r) {
		if (!explained) {
			out.println("(counts are SQS's approximate ones; cost is machine-hours x MACHINE_PRICE, an upper bound: "
				+ "spot machines cost at most MACHINE_PRICE an hour)");
			explained = true;
		}
		out.println(line(r));
	}

	@Override
	public void note(String line) {
		out.println(line);
	}

	static String line(MonitorReading r) {
		StringBuilder b = new StringBuilder();
		b.append(LocalTime.ofInstant(r.at(), ZoneId.systemDefault()).truncatedTo(ChronoUnit.SECONDS)).append("  ")
			.append(r.done()).append('/').append(r.total()).append(" done | ").append(r.dead()).append(" dead | ")
			.append(r.inFlight()).append(" running | ").append(r.waiting()).append(" waiting | ")
			.append(String.format("%.0f tasks/h", r.tasksPerHour()));
		r.eta().ifPresent(eta -> b.append(" | ETA ").append(TerminalProgress.clock(eta)));
		b.append(" | fleet ").append(r.fleetRunning()).append('/').append(r.fleetTarget()).append(" machines")
			.append(String.format(" | cost so far <= $%.2f", r.maxCost()));
		return b.toString();
	}
}
