package org.parascope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.aws.MotoServer;

/**
 * The start-fleet command line. What it starts is tested through the facade (FleetStartTest): a
 * successful start through the command line is part of the engines module's CloudRunTest.
 */
@ExtendWith(MotoServer.class)
class StartFleetCommandTest {

	@TempDir
	Path dir;

	@Test
	void helpExplainsFleetFilesTheWaitAndDcpsName() {
		Outcome o = Outcome.run(Map.of(), "start-fleet", "--help");
		assertEquals(0, o.exit());
		assertTrue(o.out().contains("--wait=TIME") && o.out().contains("IMDSv2") && o.out().contains("startCluster FLEET")
			&& o.out().contains("SpotFleetRequestId.json"), o.out());
	}

	@Test
	void startClusterWithABrokenFleetFileIsAnInputErrorNamingTheFile() throws Exception {
		Path config = Files.writeString(dir.resolve("config.py"),
			"APP_NAME = 'Plates'\nAWS_BUCKET = 'plates'\nDOCKERHUB_TAG = 'plates/worker:1'\n");
		Path fleet = Files.writeString(dir.resolve("fleet.json"), "{\n  \"IamFleetRole\": \n}\n");
		Outcome o = Outcome.run(MotoServer.env(), "--config", config.toString(), "startCluster", fleet.toString(), "--quiet");
		assertEquals(Main.BAD_INPUT, o.exit());
		assertTrue(o.err().startsWith("parascope: " + fleet + ": line 3, column 1: not valid JSON"), o.err());
	}

	@Test
	void withAutoMonitorAndNoImageForTheMonitorNothingStarts() throws Exception {
		Path config = Files.writeString(dir.resolve("config.py"), "APP_NAME = 'Plates'\nAWS_BUCKET = 'plates'\n");
		Outcome o = Outcome.run(MotoServer.env(), "--config", config.toString(), "start-fleet", "--quiet");
		assertEquals(Main.BAD_INPUT, o.exit());
		assertTrue(o.err().startsWith("parascope: DOCKERHUB_TAG is not set: with AUTO_MONITOR True, start-fleet starts the "
			+ "monitor from that image; set it, or pass --no-monitor (nothing was started)"), o.err());
	}

	@Test
	void aWaitThatIsNotATimeIsAUsageError() {
		Outcome o = Outcome.run(Map.of(), "start-fleet", "--wait", "soon");
		assertEquals(Main.BAD_INPUT, o.exit());
		assertTrue(o.err().contains("expected a time such as 90s, 10m or 1h, got 'soon'"), o.err());
		var times = new StartFleetCommand.DurationConverter();
		assertEquals(Duration.ofMinutes(90), times.convert("1h30m"));
		assertEquals(Duration.ofSeconds(45), times.convert("45s"));
		assertEquals(Duration.ofMinutes(20), times.convert("20"));
	}
}
