package org.parascope.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * The memory high-water marks of this JVM: heap used (sampled every 10 ms), heap still used after each
 * garbage collection (the live data: what grows if a program holds what it reads), and the process's
 * peak resident set (VmHWM).
 */
final class MemoryPeak {

	private final AtomicLong heap = new AtomicLong();
	private final AtomicLong afterGc = new AtomicLong();
	private final Thread sampler;
	private volatile boolean running = true;

	private MemoryPeak() {
		for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
			((NotificationEmitter) gc).addNotificationListener((n, handback) -> {
				if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) return;
				var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
				long used = info.getGcInfo().getMemoryUsageAfterGc().values().stream().mapToLong(MemoryUsage::getUsed).sum();
				afterGc.accumulateAndGet(used, Math::max);
			}, null, null);
		}
		sampler = new Thread(() -> {
			while (running) {
				heap.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
				try {
					Thread.sleep(10);
				}
				catch (InterruptedException e) {
					return;
				}
			}
		}, "memory-peak");
		sampler.setDaemon(true);
		sampler.start();
	}

	static MemoryPeak start() {
		return new MemoryPeak();
	}

	/** "heapMiB=.. afterGcMiB=.. rssMiB=..". */
	String stop() {
		running = false;
		return String.format("heapMiB=%.1f afterGcMiB=%.1f rssMiB=%.1f", heap.get() / 1048576.0, afterGc.get() / 1048576.0,
			rssPeakKiB() / 1024.0);
	}

	private static long rssPeakKiB() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
			}
		}
		catch (IOException | NumberFormatException e) {
			// Not Linux: no resident set figure.
		}
		return 0;
	}
}
