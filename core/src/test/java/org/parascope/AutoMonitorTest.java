package org.parascope;
import static org.junit.jupiter.api.Assertions.*;
import org.junit.jupiter.api.Test;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;
/** AUTO_MONITOR as every face's Start Fleet applies it. */
class AutoMonitorTest {
	private static final Config IMAGE = Config.defaults().with(ConfigKey.DOCKERHUB_TAG, "lab/worker:1");
	@Test
	void onByDefaultOffWhenTheFaceOptsOutOrTheConfigSaysFalse() {
		assertTrue(AutoMonitor.of(IMAGE, false, "--no-monitor", "pass --no-monitor").on());
		AutoMonitor optedOut = AutoMonitor.of(IMAGE, true, "--no-monitor", "pass --no-monitor");
		assertFalse(optedOut.on());
		assertEquals("no monitor watches this run (--no-monitor): its 3 machine(s) cost up to $0.45 an hour until a monitor "
			+ "tears the run down (idle machines end after 15 minutes, the fleet after MAX_RUN_HOURS)",
			optedOut.costWarning(3, 0.15));
		AutoMonitor off = AutoMonitor.of(IMAGE.with(ConfigKey.AUTO_MONITOR, "False"), false, "--no-monitor", "pass --no-monitor");
		assertFalse(off.on());
		assertTrue(off.costWarning(1, 0.1).startsWith("no monitor watches this run (AUTO_MONITOR is False)"));
	}
	@Test
	void withoutTheMonitorsImageItSaysHowThisFaceOptsOut() {
		ParascopeException e = assertThrows(ParascopeException.class,
			() -> AutoMonitor.of(Config.defaults(), false, "noMonitor", "tick it").check(Config.defaults()));
		assertEquals("DOCKERHUB_TAG is not set: with AUTO_MONITOR True, start-fleet starts the monitor from that image; set it, "
			+ "or tick it (nothing was started)", e.getMessage());
		AutoMonitor.of(Config.defaults(), true, "noMonitor", "tick it").check(Config.defaults()); // opted out: no image needed
	}
}
