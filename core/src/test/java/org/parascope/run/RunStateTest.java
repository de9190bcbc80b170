package org.parascope.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.ParascopeException;

/** The run's state file: DCP's monitor file plus Parascope's keys, read and written in one format. */
class RunStateTest {

	private static final Instant START = Instant.ofEpochMilli(1_700_000_000_123L);

	@TempDir
	Path dir;

	private RunState state() {
		return new RunState("sfr-1", "App", "AppCluster", "AppQueue", "bucket", "AppLogs", START, true,
			Map.of(RunKeys.AWS_REGION, "eu-west-1"));
	}

	@Test
	void aFileDcpWroteIsReadWithItsStringValuesAndNoneOfParascopesKeys() throws Exception {
		Path file = dir.resolve("AppSpotFleetRequestId.json");
		Files.writeString(file, "{\"MONITOR_FLEET_ID\": \"sfr-abc\", \"MONITOR_APP_NAME\": \"App\", "
			+ "\"MONITOR_ECS_CLUSTER\": \"default\", \"MONITOR_QUEUE_NAME\": \"AppQueue\", \"MONITOR_BUCKET_NAME\": \"b\", "
			+ "\"MONITOR_LOG_GROUP_NAME\": \"App\", \"MONITOR_START_TIME\": \"1700000000123.456\", \"CLEAN_DASHBOARD\": \"False\"}");

		RunState state = RunStateStore.local(file).read();

		assertEquals(new RunState("sfr-abc", "App", "default", "AppQueue", "b", "App", START, false, Map.of()), state);
		assertEquals(Optional.empty(), state.region());
		assertEquals(Optional.empty(), state.deadLetterQueue());
		assertEquals(Optional.empty(), state.detachedState());
		assertFalse(state.tornDown());
		assertFalse(state.teardownStarted());
	}

	@Test
	void theFileIsDcpsKeysFirstThenParascopesAndReadsBackTheSame() throws Exception {
		Path file = dir.resolve("state.json");
		RunState written = state().withDetachedMonitor("AppMonitor-sfr-1", "s3://bucket/parascope/state/s.json")
			.markedTornDown(Instant.ofEpochMilli(5));
		RunStateStore.local(file).write(written);

		String n = System.lineSeparator();
		String text = Files.readString(file);
		assertTrue(text.startsWith("{" + n + "  \"MONITOR_FLEET_ID\" : \"sfr-1\"," + n + "  \"MONITOR_APP_NAME\" : \"App\","
			+ n + "  \"MONITOR_ECS_CLUSTER\" : \"AppCluster\"," + n + "  \"MONITOR_QUEUE_NAME\" : \"AppQueue\"," + n
			+ "  \"MONITOR_BUCKET_NAME\" : \"bucket\"," + n + "  \"MONITOR_LOG_GROUP_NAME\" : \"AppLogs\"," + n
			+ "  \"MONITOR_START_TIME\" : 1700000000123," + n + "  \"CLEAN_DASHBOARD\" : \"True\"," + n), text);
		assertTrue(text.contains(n + "  \"PARASCOPE_TEARDOWN_AT\" : \"5\""), text);
		assertEquals(written, RunState.read(file));
		assertEquals(Map.of(RunKeys.AWS_REGION, "eu-west-1", RunKeys.DETACHED_STATE, "s3://bucket/parascope/state/s.json",
			RunKeys.DETACHED_SERVICE, "AppMonitor-sfr-1", RunKeys.TEARDOWN, "done", RunKeys.TEARDOWN_AT, "5"),
			RunState.read(file).extra());
	}

	@Test
	void aTeardownIsMarkedBegunThenDoneWithItsTime() {
		RunState begun = state().teardownBegun();
		assertTrue(begun.teardownStarted());
		assertFalse(begun.tornDown());

		RunState done = begun.markedTornDown(Instant.ofEpochMilli(42));
		assertTrue(done.tornDown());
		assertFalse(done.teardownStarted());
		assertEquals(Optional.of(Instant.ofEpochMilli(42)), done.tornDownAt());
	}

	@Test
	void aTeardownTimeEditedIntoSomethingElseLeavesTheRunTornDown() {
		RunState edited = state().markedTornDown(Instant.EPOCH).with(RunKeys.TEARDOWN_AT, "yesterday");
		assertTrue(edited.tornDown());
		assertEquals(Optional.empty(), edited.tornDownAt());
	}

	@Test
	void theDetachedMonitorIsNamedByItsServiceAndTheS3LocationOfItsState() {
		RunState detached = state().withDetachedMonitor("AppMonitor-sfr-1", "s3://bucket/key.json");
		assertEquals(Optional.of("AppMonitor-sfr-1"), detached.detachedService());
		assertEquals(Optional.of("s3://bucket/key.json"), detached.detachedState());
		assertTrue(RunStateStore.isS3("s3://bucket/key.json"));
		assertFalse(RunStateStore.local(dir.resolve("s.json")).isS3());
	}

	@Test
	void aMissingOrBrokenFileIsAnErrorNamingIt() throws Exception {
		Path missing = dir.resolve("none.json");
		assertFalse(RunStateStore.local(missing).exists());
		assertEquals(missing + ": no such state file (start-fleet writes it)",
			assertThrows(ParascopeException.class, () -> RunStateStore.local(missing).read()).getMessage());

		Path broken = dir.resolve("broken.json");
		Files.writeString(broken, "{\"MONITOR_FLEET_ID\": \"sfr-1\"}");
		assertEquals(broken + ": MONITOR_START_TIME is missing",
			assertThrows(ParascopeException.class, () -> RunStateStore.local(broken).read()).getMessage());
	}
}
