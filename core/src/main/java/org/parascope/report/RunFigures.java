package org.parascope.report;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything a run report shows, as {@code parascope report --json} prints it (docs/trace.md). Big runs
 * are aggregated: the time series have at most {@link FiguresBuilder#BINS} points and the timeline of
 * tries becomes busy fractions per lane once there are too many tries to draw one by one.
 */
public record RunFigures(String title, String source, Instant generated, Summary summary, long binMillis,
	List<Bin> timeline, Gantt gantt, List<EngineDurations> durations, List<FailureGroup> failures, Cost cost,
	RightSizing rightSizing, List<String> notes) {

	/**
	 * @param tasks          tasks the trace knows of (or the job's count when larger)
	 * @param tasksSucceeded tasks with a succeeded or skipped try
	 * @param tasksFailed    tasks whose every try failed, timed out or was handed back
	 * @param tasksUnfinished tasks whose last try has no end (its worker was killed or still works)
	 * @param engineSeconds  the tries' summed durations
	 */
	public record Summary(long tasks, long tasksSucceeded, long tasksFailed, long tasksUnfinished, long tries,
		Map<String, Long> triesByOutcome, int workers, int machines, Instant start, Instant end, double wallSeconds,
		double engineSeconds, double cpuSeconds, double peakMemoryMiB, long bytesFetched, long bytesStored) {}

	/**
	 * One time bin, its figures at its end.
	 *
	 * @param done           tasks done (succeeded or skipped) so far
	 * @param inFlight       tries running
	 * @param waiting        tasks neither done nor running nor failed for good (from the trace's tasks)
	 * @param tasksPerHour   tasks done in this bin, per hour
	 * @param machines       machines with a worker alive in this bin
	 */
	public record Bin(Instant at, long done, long inFlight, long waiting, double tasksPerHour, int machines) {}

	/**
	 * The tries of each worker over time: one bar per try while there are few ({@code bars}), else per lane
	 * and time bin the fraction of time busy ({@code busy}, lanes possibly grouped).
	 */
	public record Gantt(List<String> lanes, boolean aggregated, List<Bar> bars, List<double[]> busy) {}

	public record Bar(int lane, Instant start, Instant end, String outcome, String task, int attempt) {}

	public record EngineDurations(String engine, long tries, double medianSeconds, double p95Seconds, double maxSeconds,
		List<Bucket> histogram, List<SlowTry> slowest) {}

	public record Bucket(double fromSeconds, double toSeconds, long count) {}

	public record SlowTry(String task, double seconds, String outcome, int attempt, String worker, String machine) {}

	/** @param logsCommand how to read one such task's log (AWS runs), else null */
	public record FailureGroup(String reason, long tries, List<String> tasks, String logsCommand) {}

	/**
	 * @param upperBound   machine-hours x MACHINE_PRICE
	 * @param spotCost     from EC2's spot price history of each spot machine's type and zone over its lifetime;
	 *                     null when not known (a local run, or machines of unknown type)
	 * @param machinesFrom where the machines and their lifetimes come from: the monitor's record of the fleet,
	 *                     or (without one) the trace
	 * @param types        the machines per type and lifecycle
	 */
	public record Cost(double machineHours, double machinePrice, double upperBound, Double spotCost, String spotNote,
		String machinesFrom, List<TypeCost> types, List<MachineCost> machines) {}

	/**
	 * @param lifecycle spot, on-demand, or null when not known (machines from the trace)
	 * @param end       the end of its lifetime as priced
	 * @param endSeen   false when no monitor saw it end: priced up to its last sighting
	 * @param spotCost  null when not priced (on-demand, unknown type or zone, no price in the history)
	 */
	public record MachineCost(String machine, String instanceType, String zone, String lifecycle, Instant start,
		Instant end, boolean endSeen, double hours, Double spotCost) {}

	/** @param spotCost the sum over its machines priced from the spot price history; null when none was */
	public record TypeCost(String instanceType, String lifecycle, int machines, double hours, int priced, Double spotCost) {}

	/**
	 * What the run would have cost on machines sized to its observed peaks.
	 *
	 * @param peakMemoryMiB the largest peak memory of a try
	 * @param cores         the 95th percentile of a try's CPU seconds per second
	 * @param current       the run's own setting, priced the same way; null when not priced
	 * @param options       candidates that fit, cheapest first; empty without prices
	 */
	public record RightSizing(double peakMemoryMiB, double cores, double headroom, Option current, List<Option> options,
		String note) {}

	/** One machine type with the settings that fit the peaks, and the run's cost on it. */
	public record Option(String instanceType, int vcpus, long machineMemoryMiB, int dockerCores, int tasksPerMachine,
		long memoryMiB, double pricePerHour, double machineHours, double cost) {}
}
