package org.parascope.fleet;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.parascope.config.Config;
import org.parascope.queue.LocalTaskQueue;
import org.parascope.store.LocalObjectStore;
import org.parascope.worker.DoneCheck;
import org.parascope.worker.Runners;
import org.parascope.worker.Stores;
import org.parascope.worker.Worker;
import org.parascope.worker.WorkerListener;

/** Real workers polling a real (empty) local queue; the task flow itself is tested in the engines module. */
class LocalFleetTest extends FleetContract {

	@TempDir
	Path tmp;

	@Override
	protected Fleet newFleet() {
		LocalObjectStore store = new LocalObjectStore(tmp);
		Worker.Setup setup = new Worker.Setup(new LocalTaskQueue(3, Duration.ofSeconds(30)),
			new Stores(store, store, store), new DoneCheck(false, 1, 1, ""), WorkerListener.NONE, tmp,
			Duration.ofMillis(100));
		return new LocalFleet(n -> new Worker("w" + n, new Runners(List.of(), Config.defaults()), setup));
	}
}
