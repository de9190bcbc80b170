package org.parascope.trace;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The CPU time and peak memory of what one try's engine ran, sampled every {@value #SAMPLE_MILLIS} ms
 * (docs/trace.md): the processes it launched with their children (CPU from the operating system,
 * memory as the tree's summed resident set), plus the in-process runner's share of the worker's JVM:
 * the JVM's CPU time of each interval between two samples goes to the tries that ran in it, by the time
 * each ran there with tries side by side sharing evenly, and its heap in use is split likewise.
 *
 * <p>A worker's thread only notes the try's start and end times ({@link System#nanoTime}) and adds the try
 * to a lock-free list: the JVM's CPU time and heap are read only by samples, on the trace's thread
 * ({@link TraceThread}: every {@value #SAMPLE_MILLIS} ms, and for a try's last interval when its {@link #usage}
 * is asked for), never in a try's begin or end (docs/benchmarks.md, "The trace's cost per task").
 */
public final class TryUsage {

	/** What a try used. */
	public record Usage(double cpuSeconds, double peakMemoryMiB) {}

	static final long SAMPLE_MILLIS = 500;

	/** Tries begun and not yet settled by a sample; worker threads only add, samples remove. */
	private static final ConcurrentLinkedQueue<TryUsage> LIVE = new ConcurrentLinkedQueue<>();
	/** Where the JVM's CPU time is read on Linux; elsewhere from the management bean ({@link Bean}). */
	private static final Path PROC_STAT = Path.of("/proc/self/stat");
	private static final boolean PROC = Files.isReadable(PROC_STAT);
	/** Linux's USER_HZ, the unit of /proc's CPU times: 100 on every architecture Linux runs on. */
	private static final long NANOS_PER_TICK = 10_000_000;
	private static volatile boolean started;
	// The last sample's time, JVM CPU time and heap; guarded by the class lock, like every try's figures.
	private static long lastNanos;
	private static long lastJvmCpu = -1;
	private static double lastHeapMiB;

	/** The thread running the try: {@link #track} finds its try by it (a ThreadLocal's set costs a try 1 to 2 µs). */
	private final Thread thread = Thread.currentThread();
	private final long startNanos = System.nanoTime();
	/** Long.MAX_VALUE while the try runs. */
	private volatile long endNanos = Long.MAX_VALUE;
	/** Made by the first {@link #track}: most tries launch no process. */
	private volatile List<ProcessHandle> roots;
	/** Made with {@link #roots}, before it (which publishes it). */
	private Map<Long, Double> processCpu;
	private boolean settled;
	private double jvmCpu;
	private double peakJvmMiB;
	private double peakTreeMiB;

	private TryUsage() {}

	/** Starts measuring a try run by the current thread; {@link #track} then counts its processes. */
	public static TryUsage begin() {
		if (!started) start();
		TryUsage usage = new TryUsage();
		LIVE.add(usage);
		return usage;
	}

	/** Starts the sampler, if not yet: a trace does at its start, so that no task pays it. */
	static synchronized void start() {
		if (started) return;
		sample(false); // the first interval starts now
		TraceThread.SCHEDULER.scheduleWithFixedDelay(TryUsage::tick, SAMPLE_MILLIS, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
		started = true;
	}

	/** Counts {@code process} and its children in the current thread's try, if one is measured. */
	public static void track(Process process) {
		TryUsage usage = null;
		for (TryUsage live : LIVE) {
			if (live.thread == Thread.currentThread() && live.endNanos == Long.MAX_VALUE) usage = live;
		}
		if (usage == null) return;
		synchronized (usage) {
			if (usage.roots == null) {
				usage.processCpu = new HashMap<>();
				usage.roots = new CopyOnWriteArrayList<>();
			}
		}
		usage.roots.add(process.toHandle());
	}

	/** Ends the measure; call from the thread that began it. Its figures come from {@link #usage}. */
	public void end() {
		endNanos = System.nanoTime();
	}

	/** What the try used; after {@link #end}, takes the sample that closes its last interval if none has yet. */
	public Usage usage() {
		synchronized (TryUsage.class) {
			if (!settled) sample(false);
			double cpu = jvmCpu;
			if (roots != null) for (double c : processCpu.values()) cpu += c; // a loop: a stream costs tens of µs before the JIT has seen it
			return new Usage(cpu, peakTreeMiB + peakJvmMiB);
		}
	}

	private static synchronized void tick() {
		sample(true);
	}

	/**
	 * Closes the interval since the last sample: its JVM CPU time and heap go to the tries that ran in it.
	 * Called holding the class lock; {@code processes}: also the running tries' process trees.
	 */
	private static void sample(boolean processes) {
		long now = System.nanoTime();
		long cpu = jvmCpuNanos();
		Runtime runtime = Runtime.getRuntime();
		double heapMiB = (runtime.totalMemory() - runtime.freeMemory()) / 1048576.0;
		long from = lastNanos;
		long cpuDelta = lastJvmCpu < 0 || cpu < 0 ? 0 : Math.max(0, cpu - lastJvmCpu);
		double intervalHeapMiB = Math.max(heapMiB, lastHeapMiB); // the heap is read at the interval's two ends only
		lastNanos = now;
		lastJvmCpu = cpu;
		lastHeapMiB = heapMiB;

		List<TryUsage> ran = new ArrayList<>();
		List<long[]> spans = new ArrayList<>();
		for (Iterator<TryUsage> it = LIVE.iterator(); it.hasNext();) {
			TryUsage usage = it.next();
			long end = usage.endNanos;
			long s = Math.max(usage.startNanos, from), e = Math.min(end, now);
			if (e > s) {
				ran.add(usage);
				spans.add(new long[] {s, e});
			}
			if (end <= now) {
				usage.settled = true; // after this interval's share, below
				it.remove();
			}
			else if (processes && usage.roots != null) usage.sampleProcesses();
		}
		if (ran.isEmpty()) return;
		// Sweep the tries' edges: shared[i] = the integral of 1/(tries running) over try i's time in the interval.
		int n = ran.size();
		long[][] edges = new long[2 * n][];
		for (int i = 0; i < n; i++) {
			edges[2 * i] = new long[] {spans.get(i)[0], i, 1};
			edges[2 * i + 1] = new long[] {spans.get(i)[1], i, -1};
		}
		Arrays.sort(edges, Comparator.comparingLong(edge -> edge[0]));
		double[] shared = new double[n];
		double integral = 0;
		long covered = 0, previous = from;
		int running = 0;
		for (long[] edge : edges) {
			if (running > 0) {
				integral += (double) (edge[0] - previous) / running;
				covered += edge[0] - previous;
			}
			previous = edge[0];
			shared[(int) edge[1]] += edge[2] > 0 ? -integral : integral;
			running += (int) edge[2];
		}
		for (int i = 0; i < n; i++) {
			TryUsage usage = ran.get(i);
			long length = spans.get(i)[1] - spans.get(i)[0];
			usage.jvmCpu += cpuDelta / 1e9 * shared[i] / covered;
			// shared/length = 1 / the tries running beside it, averaged (harmonic) over its time here
			usage.peakJvmMiB = Math.max(usage.peakJvmMiB, intervalHeapMiB * shared[i] / length);
		}
	}

	private void sampleProcesses() {
		double rss = 0;
		for (ProcessHandle root : roots) {
			List<ProcessHandle> tree = new ArrayList<>();
			tree.add(root);
			root.descendants().forEach(tree::add);
			for (ProcessHandle p : tree) {
				if (!p.isAlive()) continue;
				p.info().totalCpuDuration().ifPresent(d -> processCpu.merge(p.pid(), d.toNanos() / 1e9, Math::max));
				rss += residentMiB(p.pid());
			}
		}
		peakTreeMiB = Math.max(peakTreeMiB, rss);
	}

	/** VmRSS from /proc (Linux); 0 elsewhere or when the process is gone. */
	private static double residentMiB(long pid) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
				if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
			}
		}
		catch (IOException | RuntimeException e) {
			// Gone between listing and reading, or not Linux: nothing to add.
		}
		return 0;
	}

	/**
	 * The JVM's CPU time in ns, -1 if unknown. On Linux from /proc (10 ms ticks, about 50 µs a read, and nothing to
	 * load): the management bean that reads it to the ns costs each worker 20 to 45 ms of loading at its start
	 * (docs/benchmarks.md, "The trace's start and its own threads"). A sample's interval is 0.5 s, so a tick is 2 % of one.
	 */
	static long jvmCpuNanos() {
		if (!PROC) return Bean.cpuNanos();
		try {
			String stat = Files.readString(PROC_STAT);
			// After the command's name in parentheses (which may hold spaces): state, then utime and stime at 12 and 13.
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 14);
			return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
		}
		catch (IOException | RuntimeException e) {
			return -1;
		}
	}

	/** The management bean, loaded on first use only (not on Linux). */
	private static final class Bean {
		static final java.lang.management.OperatingSystemMXBean OS = ManagementFactory.getOperatingSystemMXBean();

		static long cpuNanos() {
			return OS instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
		}
	}
}
