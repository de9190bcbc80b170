package org.parascope.machines;

import org.parascope.trace.TracePlace;

/**
 * Where a run's machines are recorded in AWS_BUCKET: {@code parascope/runs/<APP_NAME>/machines/<fleet id>.jsonl},
 * beside the trace (docs/trace.md).
 */
public final class MachinePlace {

	private MachinePlace() {}

	/** The folder of the app's machine records, ending in '/'. */
	public static String prefix(String app) {
		return TracePlace.runPrefix(app) + "machines/";
	}

	/** The record of one fleet's machines. */
	public static String key(String app, String fleetId) {
		return prefix(app) + TracePlace.segment(fleetId) + ".jsonl";
	}
}
