package org.parascope.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

/** What every Fleet must do; subclasses give a fresh fleet, not started. */
public abstract class FleetContract {

	protected abstract Fleet newFleet();

	/** Polls until {@code condition} holds or 30 s pass; fleets start and stop asynchronously. */
	protected static boolean eventually(Supplier<Boolean> condition) throws InterruptedException {
		for (int i = 0; i < 300; i++) {
			if (condition.get()) return true;
			Thread.sleep(100);
		}
		return false;
	}

	@Test
	void startsScalesAndStops() throws Exception {
		Fleet fleet = newFleet();
		try {
			fleet.start(3);
			assertEquals(3, fleet.describe().target());
			assertTrue(eventually(() -> fleet.describe().running() == 3), "3 running: " + fleet.describe());
			fleet.scale(1);
			assertEquals(1, fleet.describe().target());
			assertTrue(eventually(() -> fleet.describe().running() <= 1), "at most 1 running: " + fleet.describe());
		}
		finally {
			fleet.stop();
		}
		assertEquals(new FleetState(0, 0), fleet.describe());
	}

	@Test
	void stopIsSafeTwice() {
		Fleet fleet = newFleet();
		fleet.start(1);
		fleet.stop();
		fleet.stop();
		assertEquals(0, fleet.describe().running());
	}
}
