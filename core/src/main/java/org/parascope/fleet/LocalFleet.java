package org.parascope.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

import org.parascope.worker.Worker;

/** Workers as threads of this JVM: the embedded default, and the stand-in for ECS in tests. */
public final class LocalFleet implements Fleet {

	private record Running(Worker worker, Thread thread) {}

	private final IntFunction<Worker> newWorker;
	private final List<Running> workers = new ArrayList<>();
	private int started;

	/** @param newWorker makes worker number n (0, 1, ...) */
	public LocalFleet(IntFunction<Worker> newWorker) {
		this.newWorker = newWorker;
	}

	@Override
	public synchronized void start(int count) {
		scale(count);
	}

	@Override
	public synchronized void scale(int count) {
		while (workers.size() < count) {
			Worker w = newWorker.apply(started);
			Thread t = new Thread(w, "parascope-worker-" + started++);
			t.start();
			workers.add(new Running(w, t));
		}
		while (workers.size() > count) workers.remove(workers.size() - 1).worker().stop();
	}

	@Override
	public synchronized FleetState describe() {
		int alive = (int) workers.stream().filter(r -> r.thread().isAlive()).count();
		return new FleetState(workers.size(), alive);
	}

	/** Stops every worker and waits until each has finished the task in hand. */
	@Override
	public void stop() {
		List<Running> stopping;
		synchronized (this) {
			stopping = List.copyOf(workers);
			workers.clear();
		}
		stopping.forEach(r -> r.worker().stop());
		for (Running r : stopping) {
			try {
				r.thread().join();
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}
}
