package org.parascope.cli;

import org.parascope.monitor.MonitorListener;
import org.parascope.monitor.MonitorReading;

/**
 * The monitor for programs (--json): one JSON object per line, as it happens. A reading is
 * {"reading": {"at", "done", "total", "dead", "running", "waiting", "tasksPerHour", "etaSeconds"?,
 * "fleetRunning", "fleetTarget", "machineHours", "maxCost"}}; what the monitor does is {"note": LINE}.
 */
final class MonitorJsonLines implements MonitorListener {

	private final Output output;

	MonitorJsonLines(Output output) {
		this.output = output;
	}

	@Override
	public void reading(MonitorReading r) {
		var reading = output.object();
		reading.putObject("reading").put("at", r.at().toString()).put("done", r.done()).put("total", r.total())
			.put("dead", r.dead()).put("running", r.inFlight()).put("waiting", r.waiting())
			.put("tasksPerHour", Math.round(r.tasksPerHour())).put("fleetRunning", r.fleetRunning())
			.put("fleetTarget", r.fleetTarget()).put("machineHours", r.machineHours()).put("maxCost", r.maxCost());
		r.eta().ifPresent(eta -> reading.with("reading").put("etaSeconds", eta.toSeconds()));
		output.json(reading);
	}

	@Override
	public void note(String line) {
		output.json(output.object().put("note", line));
	}
}
