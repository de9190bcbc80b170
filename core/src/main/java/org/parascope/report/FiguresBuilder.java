package org.parascope.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

import org.parascope.report.RunFigures.Bar;
import org.parascope.report.RunFigures.Bin;
import org.parascope.report.RunFigures.Bucket;
import org.parascope.report.RunFigures.EngineDurations;
import org.parascope.report.RunFigures.FailureGroup;
import org.parascope.report.RunFigures.Gantt;
import org.parascope.report.RunFigures.SlowTry;
import org.parascope.trace.TraceRecord;
import org.parascope.trace.TraceRecord.Outcome;

/**
 * Turns tries, one at a time, into a report's figures. It keeps a few numbers per try (times, lane,
 * outcome, a hash of the task) and aggregates the rest as it goes, so a million tries fit in a few tens
 * of megabytes and the page stays small.
 */
public final class FiguresBuilder {

	/** Points of each time series at most. */
	static final int BINS = 120;
	/** Tries drawn one by one in the timeline at most; beyond, lanes show busy fractions. */
	static final int MAX_BARS = 2000;
	/** Lanes of the aggregated timeline at most; beyond, neighbouring lanes are averaged. */
	static final int MAX_LANES = 40;
	static final int SLOWEST = 10;
	static final int FAILURE_EXAMPLES = 3;
	private static final Outcome[] OUTCOMES = Outcome.values();
	/** Tries a report holds at most: their index fits in 24 bits. */
	static final int MAX_TRIES = 1 << 24;
	private static final long INDEX_MASK = MAX_TRIES - 1;

	private final Instant from;
	private int n;
	private long[] starts = new long[1024], ends = new long[1024], tasks = new long[1024];
	private byte[] outcomes = new byte[1024];
	private int[] lanes = new int[1024];
	private float[] seconds = new float[1024], cores = new float[1024];
	private byte[] engines = new byte[1024];
	private final Map<String, Integer> laneIds = new LinkedHashMap<>();
	private final List<String> laneMachines = new ArrayList<>();
	private final Map<String, Integer> engineIds = new LinkedHashMap<>();
	private final Map<String, Machine> machines = new LinkedHashMap<>();
	private final Map<String, PriorityQueue<SlowTry>> slowest = new HashMap<>();
	private final Map<String, Failure> failures = new LinkedHashMap<>();
	private final List<Bar> bars = new ArrayList<>();
	private double cpuSeconds, peakMemory;
	private long bytesFetched, bytesStored;
	private String job;

	/** A machine as the trace shows it: from its first try's start to its last try's end. */
	record Machine(String id, String instanceType, String zone, long first, long last) {
		Machine extend(TraceRecord r, long start, long end) {
			return new Machine(id, instanceType != null ? instanceType : r.instanceType(), zone != null ? zone : r.zone(),
				Math.min(first, start), Math.max(last, end));
		}
	}

	private static final class Failure {
		long count;
		final List<String> tasks = new ArrayList<>();
	}

	/** @param from tries that started before this are left out (another run of the same app); null: none */
	public FiguresBuilder(Instant from) {
		this.from = from;
	}

	/** The job (or app) the tries name, from the first one; null before any. */
	public String job() {
		return job;
	}

	public int tries() {
		return n;
	}

	public void add(TraceRecord r) {
		if (from != null && r.start().isBefore(from)) return;
		if (n == MAX_TRIES) throw new org.parascope.ParascopeException("more than " + MAX_TRIES + " tries: too many for one report");
		if (job == null) job = r.job();
		grow();
		long start = r.start().toEpochMilli();
		long end = r.end() == null ? Long.MIN_VALUE : r.end().toEpochMilli(); // unfinished: the trace's end, below
		String laneKey = r.process() + " " + r.worker();
		String machine = r.machine() == null ? r.process() : r.machine();
		Integer lane = laneIds.get(laneKey);
		if (lane == null) {
			lane = laneIds.size();
			laneIds.put(laneKey, lane);
			// Two processes on one machine (a restarted container) keep their own rows.
			String name = machine + " " + r.worker();
			long same = laneMachines.stream().filter(l -> l.equals(name) || l.startsWith(name + " (")).count();
			laneMachines.add(same == 0 ? name : name + " (" + (same + 1) + ")");
		}
		String engine = r.engine() == null ? "unknown" : r.engine();
		int engineId = engineIds.computeIfAbsent(engine, e -> engineIds.size());
		starts[n] = start;
		ends[n] = end;
		tasks[n] = hash(r.job(), r.taskId());
		outcomes[n] = (byte) r.outcome().ordinal();
		lanes[n] = lane;
		engines[n] = (byte) engineId;
		double took = r.seconds() == null ? 0 : r.seconds();
		seconds[n] = (float) took;
		cores[n] = r.cpuSeconds() == null || took < 0.5 ? Float.NaN : (float) (r.cpuSeconds() / took);
		n++;
		machines.merge(machine, new Machine(machine, r.instanceType(), r.zone(), start, Math.max(start, end)),
			(a, b) -> a.extend(r, b.first(), b.last()));
		if (r.cpuSeconds() != null) cpuSeconds += r.cpuSeconds();
		if (r.peakMemoryMiB() != null) peakMemory = Math.max(peakMemory, r.peakMemoryMiB());
		bytesFetched += r.bytesFetched();
		bytesStored += r.bytesStored();
		if (r.outcome() != Outcome.SKIPPED && r.outcome() != Outcome.UNFINISHED) {
			PriorityQueue<SlowTry> top = slowest.computeIfAbsent(engine, e -> new PriorityQueue<>(
				Comparator.comparingDouble(SlowTry::seconds)));
			if (top.size() < SLOWEST || took > top.peek().seconds()) {
				top.add(new SlowTry(r.task(), took, r.outcome().id(), r.attempt(), r.worker(), machine));
				if (top.size() > SLOWEST) top.poll();
			}
		}
		if (isFailure(r.outcome())) {
			String reason = r.outcome() == Outcome.UNFINISHED ? "unfinished: " + r.reason() : shortReason(r.reason());
			Failure f = failures.computeIfAbsent(reason, k -> new Failure());
			f.count++;
			if (f.tasks.size() < FAILURE_EXAMPLES && !f.tasks.contains(r.task())) f.tasks.add(r.task());
		}
		if (bars.size() <= MAX_BARS) {
			bars.add(new Bar(lane, r.start(), r.end(), r.outcome().id(), r.task(), r.attempt()));
		}
	}

	static boolean isFailure(Outcome o) {
		return o == Outcome.FAILED || o == Outcome.TIMED_OUT || o == Outcome.RELEASED || o == Outcome.UNFINISHED;
	}

	/** A reason's first line, numbers kept (they often name the cause), cut to 200 characters. */
	static String shortReason(String reason) {
		if (reason == null || reason.isBlank()) return "(no reason given)";
		String line = reason.strip().lines().findFirst().orElse("");
		return line.length() > 200 ? line.substring(0, 199) + "\u2026" : line;
	}

	private void grow() {
		if (n < starts.length) return;
		int size = starts.length * 2;
		starts = Arrays.copyOf(starts, size);
		ends = Arrays.copyOf(ends, size);
		tasks = Arrays.copyOf(tasks, size);
		outcomes = Arrays.copyOf(outcomes, size);
		lanes = Arrays.copyOf(lanes, size);
		seconds = Arrays.copyOf(seconds, size);
		cores = Arrays.copyOf(cores, size);
		engines = Arrays.copyOf(engines, size);
	}

	private static long hash(String job, String task) {
		long h = 1125899906842597L;
		String s = job + "\u0000" + task;
		for (int i = 0; i < s.length(); i++) h = 31 * h + s.charAt(i);
		// MurmurHash3's finalizer: every input bit reaches the high bits the grouping keeps.
		h ^= h >>> 33;
		h *= 0xff51afd7ed558ccdL;
		h ^= h >>> 33;
		h *= 0xc4ceb9fe1a85ec53L;
		return h ^ (h >>> 33);
	}

	/** The figures that need no prices; {@link Pricing} adds the cost. */
	Parts build(long expectedTasks, String logsCommand) {
		long traceEnd = Long.MIN_VALUE, traceStart = Long.MAX_VALUE;
		for (int i = 0; i < n; i++) {
			traceStart = Math.min(traceStart, starts[i]);
			traceEnd = Math.max(traceEnd, Math.max(starts[i], ends[i]));
		}
		if (n == 0) traceStart = traceEnd = System.currentTimeMillis();
		for (int i = 0; i < n; i++) if (ends[i] == Long.MIN_VALUE) ends[i] = traceEnd;
		List<Bar> drawn = bars.size() > MAX_BARS ? List.of() : List.copyOf(bars);

		// Each task's fate. Tries are grouped by task with one primitive sort: the task's hash in the high 40
		// bits, the try's index in the low 24 (a collision of two tasks' 40-bit hashes merges their fates:
		// about one in a million-task run, nothing a report shows).
		long[] keys = new long[n];
		for (int i = 0; i < n; i++) keys[i] = (tasks[i] & ~INDEX_MASK) | i;
		Arrays.sort(keys);
		long distinct = 0, succeeded = 0, failed = 0, unfinished = 0;
		long[] failedEnds = new long[n];
		for (int k = 0; k < n;) {
			long task = keys[k] & ~INDEX_MASK;
			boolean ok = false;
			int last = -1;
			for (; k < n && (keys[k] & ~INDEX_MASK) == task; k++) {
				int i = (int) (keys[k] & INDEX_MASK);
				Outcome o = OUTCOMES[outcomes[i]];
				// A task that succeeded once is done, whatever a duplicate delivery did later.
				if (o == Outcome.SUCCEEDED || o == Outcome.SKIPPED) ok = true;
				if (last < 0 || ends[i] >= ends[last]) last = i;
			}
			distinct++;
			if (ok) succeeded++;
			else if (OUTCOMES[outcomes[last]] == Outcome.UNFINISHED) unfinished++;
			else failedEnds[(int) failed++] = ends[last];
		}
		long totalTasks = Math.max(distinct, expectedTasks);

		Map<String, Long> byOutcome = new LinkedHashMap<>();
		for (Outcome o : OUTCOMES) if (o != Outcome.STARTED) byOutcome.put(o.id(), 0L);
		double engineSeconds = 0;
		for (int i = 0; i < n; i++) {
			byOutcome.merge(OUTCOMES[outcomes[i]].id(), 1L, Long::sum);
			engineSeconds += seconds[i];
		}

		failedEnds = Arrays.copyOf(failedEnds, (int) failed);
		Arrays.sort(failedEnds);
		long span = Math.max(1, traceEnd - traceStart);
		// Few tries, few bins: a curve of 120 points over 7 tries is mostly noise.
		int wanted = Math.max(12, Math.min(BINS, n / 2));
		long binMillis = Math.max(1, (span + wanted - 1) / wanted);
		int bins = (int) Math.min(wanted, (span + binMillis - 1) / binMillis);
		long[] sortedStarts = Arrays.copyOf(starts, n), sortedEnds = Arrays.copyOf(ends, n);
		Arrays.sort(sortedStarts);
		Arrays.sort(sortedEnds);
		long[] doneEnds = new long[n];
		int dn = 0;
		for (int i = 0; i < n; i++) {
			Outcome o = OUTCOMES[outcomes[i]];
			if (o == Outcome.SUCCEEDED || o == Outcome.SKIPPED) doneEnds[dn++] = ends[i];
		}
		doneEnds = Arrays.copyOf(doneEnds, dn);
		Arrays.sort(doneEnds);
		List<Bin> timeline = new ArrayList<>(bins);
		long doneBefore = 0;
		for (int b = 0; b < bins; b++) {
			long at = traceStart + (b + 1) * binMillis;
			long done = Math.min(succeeded, upTo(doneEnds, at));
			long inFlight = upTo(sortedStarts, at - 1) - upTo(sortedEnds, at - 1);
			long waiting = Math.max(0, totalTasks - done - inFlight - upTo(failedEnds, at));
			int alive = 0;
			long binStart = at - binMillis;
			for (Machine m : machines.values()) if (m.first() < at && m.last() >= binStart) alive++;
			timeline.add(new Bin(Instant.ofEpochMilli(at), done, Math.max(0, inFlight), waiting,
				(done - doneBefore) * 3_600_000.0 / binMillis, alive));
			doneBefore = done;
		}

		List<String> laneNames = new ArrayList<>(laneMachines);
		Gantt gantt;
		if (bars.size() <= MAX_BARS) gantt = new Gantt(laneNames, false, drawn, List.of());
		else gantt = aggregatedGantt(laneNames, traceStart, binMillis, bins);

		List<EngineDurations> durations = new ArrayList<>();
		for (Map.Entry<String, Integer> e : engineIds.entrySet()) durations.add(durations(e.getKey(), e.getValue()));

		List<FailureGroup> failureGroups = failures.entrySet().stream()
			.sorted(Comparator.comparingLong((Map.Entry<String, Failure> e) -> -e.getValue().count))
			.map(e -> new FailureGroup(e.getKey(), e.getValue().count, List.copyOf(e.getValue().tasks),
				logsCommand == null || e.getValue().tasks.isEmpty() ? null
					: logsCommand + " " + shellQuote(e.getValue().tasks.get(0))))
			.toList();

		float[] sortedCores = new float[n];
		int cn = 0;
		for (int i = 0; i < n; i++) if (!Float.isNaN(cores[i])) sortedCores[cn++] = cores[i];
		sortedCores = Arrays.copyOf(sortedCores, cn);
		Arrays.sort(sortedCores);
		double coresP95 = cn == 0 ? 0 : sortedCores[Math.min(cn - 1, (int) Math.ceil(cn * 0.95) - 1)];

		RunFigures.Summary summary = new RunFigures.Summary(totalTasks, succeeded, failed, unfinished, n, byOutcome,
			laneIds.size(), machines.size(), Instant.ofEpochMilli(traceStart), Instant.ofEpochMilli(traceEnd),
			(traceEnd - traceStart) / 1000.0, engineSeconds, cpuSeconds, peakMemory, bytesFetched, bytesStored);
		return new Parts(summary, binMillis, timeline, gantt, durations, failureGroups, List.copyOf(machines.values()),
			coresP95);
	}

	/** What {@link #build} found, before pricing. */
	record Parts(RunFigures.Summary summary, long binMillis, List<Bin> timeline, Gantt gantt,
		List<EngineDurations> durations, List<FailureGroup> failures, List<Machine> machines, double coresP95) {}

	private Gantt aggregatedGantt(List<String> laneNames, long traceStart, long binMillis, int bins) {
		int laneCount = laneNames.size();
		int groups = Math.min(MAX_LANES, laneCount);
		double[][] busy = new double[groups][bins];
		int[] perGroup = new int[groups];
		for (int l = 0; l < laneCount; l++) perGroup[(int) ((long) l * groups / laneCount)]++;
		for (int i = 0; i < n; i++) {
			int g = (int) ((long) lanes[i] * groups / laneCount);
			long s = starts[i], e = ends[i];
			for (int b = (int) ((s - traceStart) / binMillis); b < bins; b++) {
				long bs = traceStart + b * binMillis, be = bs + binMillis;
				if (bs >= e) break;
				busy[g][b] += (Math.min(e, be) - Math.max(s, bs)) / (double) binMillis;
			}
		}
		List<String> names = new ArrayList<>();
		List<double[]> rows = new ArrayList<>();
		int first = 0;
		for (int g = 0; g < groups; g++) {
			for (int b = 0; b < bins; b++) busy[g][b] = Math.round(Math.min(1, busy[g][b] / perGroup[g]) * 100) / 100.0;
			names.add(perGroup[g] == 1 ? laneNames.get(first) : laneNames.get(first) + " (+" + (perGroup[g] - 1) + " workers)");
			rows.add(busy[g]);
			first += perGroup[g];
		}
		return new Gantt(names, true, List.of(), rows);
	}

	private EngineDurations durations(String engine, int id) {
		int count = 0;
		float[] s = new float[n];
		for (int i = 0; i < n; i++) {
			Outcome o = OUTCOMES[outcomes[i]];
			if (engines[i] == id && o != Outcome.SKIPPED && o != Outcome.UNFINISHED) s[count++] = seconds[i];
		}
		s = Arrays.copyOf(s, count);
		Arrays.sort(s);
		// Log bins, five per decade: durations of one run span milliseconds to hours.
		TreeMap<Integer, Long> bins = new TreeMap<>();
		for (float v : s) bins.merge((int) Math.floor(Math.log10(Math.max(v, 0.001)) * 5), 1L, Long::sum);
		List<Bucket> histogram = new ArrayList<>();
		if (!bins.isEmpty()) {
			for (int b = bins.firstKey(); b <= bins.lastKey(); b++) {
				histogram.add(new Bucket(round(Math.pow(10, b / 5.0)), round(Math.pow(10, (b + 1) / 5.0)), bins.getOrDefault(b, 0L)));
			}
		}
		List<SlowTry> top = new ArrayList<>(slowest.getOrDefault(engine, new PriorityQueue<>()));
		top.sort(Comparator.comparingDouble(SlowTry::seconds).reversed());
		return new EngineDurations(engine, count, count == 0 ? 0 : s[count / 2],
			count == 0 ? 0 : s[Math.min(count - 1, (int) Math.ceil(count * 0.95) - 1)], count == 0 ? 0 : s[count - 1],
			histogram, top);
	}

	private static double round(double v) {
		return Math.round(v * 1000) / 1000.0;
	}

	private static long upTo(long[] sorted, long at) {
		int i = Arrays.binarySearch(sorted, at);
		if (i < 0) return -i - 1;
		while (i + 1 < sorted.length && sorted[i + 1] == at) i++;
		return i + 1;
	}

	/** A label as one shell word, for the logs command people copy. */
	static String shellQuote(String s) {
		return "'" + s.replace("'", "'\\''") + "'";
	}
}
