package org.parascope.trace;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The CPU time and peak memory of what one try's engine ran, sampled every {@value #SAMPLE_MILLIS} ms
 * (docs/trace.md): the processes it launched with their children (CPU from the operating system,
 * memory as the tree's summed resident set), plus the in-process runner's share of the worker's JVM
 * (its CPU time and heap in use, split evenly between the tries running in it at the time). A process
 * that ends between two samples keeps the CPU time its last sample saw.
 *
 * <p>A try's begin and end take only the JVM's share (microseconds); the process trees, which cost a scan
 * of /proc each, are sampled on the sampler's thread alone, never on a worker's (docs/trace.md).
 */
public final class TryUsage {

	/** What a try used. */
	public record Usage(double cpuSeconds, double peakMemoryMiB) {}

	static final long SAMPLE_MILLIS = 500;

	private static final ThreadLocal<TryUsage> CURRENT = new ThreadLocal<>();
	private static final Set<TryUsage> ACTIVE = new LinkedHashSet<>();
	private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
	private static final java.lang.management.OperatingSystemMXBean OS = ManagementFactory.getOperatingSystemMXBean();
	private static ScheduledExecutorService sampler;
	private static long lastJvmCpu = -1;

	private final List<ProcessHandle> roots = new ArrayList<>();
	private final Map<Long, Double> processCpu = new HashMap<>();
	private double jvmCpu;
	private double peakJvmMiB;
	private double peakTreeMiB;

	private TryUsage() {}

	/** Starts measuring a try run by the current thread; {@link #track} then counts its processes. */
	public static TryUsage begin() {
		TryUsage usage = new TryUsage();
		synchronized (TryUsage.class) {
			sample(false);
			ACTIVE.add(usage);
			if (sampler == null) {
				sampler = Executors.newSingleThreadScheduledExecutor(r -> {
					Thread t = new Thread(r, "parascope-usage");
					t.setDaemon(true);
					return t;
				});
				sampler.scheduleWithFixedDelay(TryUsage::tick, SAMPLE_MILLIS, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
			}
		}
		CURRENT.set(usage);
		return usage;
	}

	/** Counts {@code process} and its children in the current thread's try, if one is measured. */
	public static void track(Process process) {
		TryUsage usage = CURRENT.get();
		if (usage == null) return;
		synchronized (TryUsage.class) {
			usage.roots.add(process.toHandle());
		}
	}

	/** Ends the measure; call from the thread that began it. */
	public Usage end() {
		CURRENT.remove();
		synchronized (TryUsage.class) {
			sample(false);
			ACTIVE.remove(this);
			double cpu = jvmCpu;
			for (double c : processCpu.values()) cpu += c; // a loop: a stream costs tens of µs before the JIT has seen it
			return new Usage(cpu, peakTreeMiB + peakJvmMiB);
		}
	}

	private static void tick() {
		synchronized (TryUsage.class) {
			sample(true);
		}
	}

	/** Called holding the class lock; {@code processes}: also the tries' process trees. */
	private static void sample(boolean processes) {
		long cpu = jvmCpuNanos();
		long delta = lastJvmCpu < 0 || cpu < 0 ? 0 : cpu - lastJvmCpu;
		lastJvmCpu = cpu;
		if (ACTIVE.isEmpty()) return;
		double heapShare = MEMORY.getHeapMemoryUsage().getUsed() / 1048576.0 / ACTIVE.size();
		for (TryUsage usage : ACTIVE) {
			usage.jvmCpu += delta / 1e9 / ACTIVE.size();
			usage.peakJvmMiB = Math.max(usage.peakJvmMiB, heapShare);
			if (processes && !usage.roots.isEmpty()) usage.sampleProcesses();
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

	private static long jvmCpuNanos() {
		return OS instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
	}
}
