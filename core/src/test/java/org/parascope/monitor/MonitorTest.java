package org.parascope.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.ParascopeException;
import org.parascope.TransientException;
import org.parascope.aws.AwsErrors;
import org.parascope.aws.AwsFailures;
import org.parascope.config.Config;
import org.parascope.fleet.FleetState;
import org.parascope.fleet.LocalFleet;
import org.parascope.queue.Delivery;
import org.parascope.queue.LocalTaskQueue;
import org.parascope.queue.QueueCounts;
import org.parascope.queue.TaskQueueContract;
import org.parascope.run.RunKeys;
import org.parascope.run.RunState;
import org.parascope.run.RunStateStore;
import org.parascope.store.LocalObjectStore;
import org.parascope.worker.DoneCheck;
import org.parascope.worker.Runners;
import org.parascope.worker.Stores;
import org.parascope.worker.Worker;
import org.parascope.worker.WorkerListener;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The monitor's decisions, on a real local queue and a real local fleet. The queue is worked by
 * hand between readings (the fleet's workers poll a queue of their own), and time is a fake clock
 * that advances when the monitor waits, so each test is an exact sequence of readings.
 */
class MonitorTest {

	private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");
	private static final Duration INTERVAL = Duration.ofSeconds(60);

	@TempDir
	Path dir;

	private Path stateFile;
	private LocalTaskQueue queue;
	private LocalFleet fleet;
	private final List<String> events = new ArrayList<>();
	private final List<MonitorReading> readings = new ArrayList<>();
	private int teardowns;

	@BeforeEach
	void setUp() {
		stateFile = dir.resolve("files/AppSpotFleetRequestId.json");
		new RunState("sfr-1", "App", "AppCluster", "AppQueue", "bucket", "AppLogs", T0.minus(Duration.ofHours(1)), true,
			Map.of()).write(stateFile);
		queue = new LocalTaskQueue(1, Duration.ofHours(1));
		LocalObjectStore store = new LocalObjectStore(dir);
		Worker.Setup idle = new Worker.Setup(new LocalTaskQueue(1, Duration.ofSeconds(30)), new Stores(store, store, store),
			new DoneCheck(false, 1, 1, ""), WorkerListener.NONE, dir, Duration.ofMillis(100));
		fleet = new LocalFleet(n -> new Worker("w" + n, new Runners(List.of(), Config.defaults()), idle));
		fleet.start(4);
	}

	@AfterEach
	void tearDownFleet() {
		fleet.stop();
	}

	private Monitor monitor(ScriptedTicker ticker, boolean cheapest) {
		MonitorListener listener = new MonitorListener() {
			@Override
			public void reading(MonitorReading r) {
				readings.add(r);
				events.add("reading " + r.waiting() + "/" + r.inFlight() + " fleet " + r.fleetTarget());
			}

			@Override
			public void note(String line) {
				events.add(line);
			}
		};
		Runnable teardown = () -> {
			teardowns++;
			events.add("TEARDOWN");
			fleet.stop();
		};
		return new Monitor(queue, fleet, RunStateStore.local(stateFile), new MonitorOptions(INTERVAL, cheapest, 3, 2, 0.5),
			listener, teardown, ticker);
	}

	private void send(int from, int count) {
		queue.send(IntStream.range(from, from + count).mapToObj(TaskQueueContract::task).toList());
	}

	private List<Delivery> receive(int count) {
		return IntStream.range(0, count).mapToObj(i -> queue.receive(Duration.ZERO).orElseThrow()).toList();
	}

	private Map<String, String> saved() {
		return RunState.read(stateFile).extra();
	}

	@Test
	void scalesDownToTheTasksInFlightOnceNothingWaitsAndTearsDownAfterThreeEmptyReadings() {
		send(0, 10);
		List<Delivery> inFlight = new ArrayList<>();
		ScriptedTicker ticker = new ScriptedTicker(T0)
			.then(() -> {
				inFlight.addAll(receive(10));
				inFlight.subList(0, 5).forEach(queue::delete);
			})
			.idle(1)
			.then(() -> inFlight.subList(5, 9).forEach(queue::delete))
			.then(() -> queue.delete(inFlight.get(9)))
			.idle(10);

		Monitor.Outcome outcome = monitor(ticker, false).run();

		assertEquals(Monitor.Ending.TORN_DOWN, outcome.ending());
		assertEquals(List.of(
			"reading 10/0 fleet 4",
			"reading 0/5 fleet 4",
			"reading 0/5 fleet 4",
			"fleet target lowered from 4 to 3 machine(s): nothing waiting, 5 task(s) in flight, 2 per machine",
			"reading 0/1 fleet 3",
			"fleet target lowered from 3 to 1 machine(s): nothing waiting, 1 task(s) in flight, 2 per machine",
			"reading 0/0 fleet 1",
			"reading 0/0 fleet 1",
			"reading 0/0 fleet 1",
			"nothing waiting or in flight at 3 readings in a row: tearing down",
			"TEARDOWN"), events.subList(0, events.size() - 1));
		assertTrue(events.get(events.size() - 1).startsWith("teardown complete"), events.toString());
		assertEquals(1, teardowns);
		MonitorReading last = outcome.last().orElseThrow();
		assertEquals(10, last.done());
		assertEquals(10, last.total());
		assertEquals("done", saved().get(RunKeys.TEARDOWN));
	}

	@Test
	void anEmptyReadingBetweenBusyOnesDoesNotTearDown() {
		ScriptedTicker ticker = new ScriptedTicker(T0).idle(1).then(() -> send(0, 1)).idle(1).then(() -> queue.delete(receive(1).get(0))).idle(5);

		monitor(ticker, false).run();

		assertEquals(List.of(1, 2, 0, 0, 1, 2, 3), readings.stream().map(MonitorReading::emptyReadings).toList());
		assertEquals(1, teardowns);
		assertEquals(1, readings.get(readings.size() - 1).done());
	}

	@Test
	void theFleetIsNeverLoweredBelowOneMachineBeforeTheTeardown() {
		send(0, 1);
		ScriptedTicker ticker = new ScriptedTicker(T0).then(() -> queue.delete(receive(1).get(0))).idle(10);

		monitor(ticker, false).run();

		assertTrue(events.contains("fleet target lowered from 4 to 1 machine(s): nothing waiting, 0 task(s) in flight, 2 per machine"),
			events.toString());
		assertTrue(readings.stream().allMatch(r -> r.fleetTarget() >= 1), readings.toString());
	}

	@Test
	void cheapestModeDropsTheFleetToOneMachineFifteenMinutesAfterTheFirstReading() {
		send(0, 100);
		ScriptedTicker ticker = new ScriptedTicker(T0).idle(16);

		assertThrows(ScriptedTicker.Killed.class, () -> monitor(ticker, true).run());

		assertEquals(17, readings.size());
		assertTrue(readings.subList(0, 16).stream().allMatch(r -> r.fleetTarget() == 4), readings.toString());
		assertEquals(Duration.ofMinutes(15), readings.get(15).elapsed());
		assertTrue(events.contains("fleet target lowered from 4 to 1 machine(s): cheapest mode, 15 minutes after the first reading"),
			events.toString());
		assertEquals(1, readings.get(16).fleetTarget());
		assertEquals(0, teardowns);
	}

	@Test
	void aRestartedMonitorCarriesOnFromTheStateFile() {
		send(0, 10);
		assertThrows(ScriptedTicker.Killed.class, () -> monitor(new ScriptedTicker(T0).then(() -> receive(4).forEach(queue::delete)), false).run());
		assertEquals(Map.of(RunKeys.FIRST_READING, Long.toString(T0.toEpochMilli()), RunKeys.TASKS, "10",
			RunKeys.DONE, "4"), Map.of(RunKeys.FIRST_READING, saved().get(RunKeys.FIRST_READING),
				RunKeys.TASKS, saved().get(RunKeys.TASKS), RunKeys.DONE, saved().get(RunKeys.DONE)));
		double hoursBefore = readings.get(1).machineHours();

		// Restarted 9 minutes after the last reading: 6 tasks left, and 2 more are done meanwhile.
		receive(2).forEach(queue::delete);
		readings.clear();
		assertThrows(ScriptedTicker.Killed.class, () -> monitor(new ScriptedTicker(T0.plus(Duration.ofMinutes(10))), false).run());

		MonitorReading resumed = readings.get(0);
		assertEquals(6, resumed.done());
		assertEquals(10, resumed.total());
		assertEquals(Duration.ofMinutes(10), resumed.elapsed());
		assertEquals(36.0, resumed.tasksPerHour(), 1e-9);
		assertEquals(hoursBefore + 4 * 9 / 60.0, resumed.machineHours(), 1e-9);
	}

	@Test
	void whoFollowsTheMonitorReadsItsLastReadingFromTheState() {
		send(0, 10);
		assertEquals(java.util.Optional.empty(), RecordedReading.of(RunState.read(stateFile)), "no reading yet");
		List<Delivery> taken = new ArrayList<>();
		assertThrows(ScriptedTicker.Killed.class, () -> monitor(new ScriptedTicker(T0).then(() -> {
			taken.addAll(receive(6));
			taken.subList(0, 3).forEach(queue::delete);
		}).then(() -> queue.release(taken.get(3), Duration.ZERO)), false).run());

		MonitorReading last = readings.get(readings.size() - 1);
		assertEquals(3, last.done());
		assertEquals(java.util.Optional.of(last), RecordedReading.of(RunState.read(stateFile)),
			"waiting, in flight, failed, machines and cost as the monitor saw them");
	}

	@Test
	void costIsMachineHoursSinceTheFleetStartedTimesThePrice() {
		send(0, 5);
		assertThrows(ScriptedTicker.Killed.class, () -> monitor(new ScriptedTicker(T0).then(() -> fleet.scale(2)), false).run());

		// Started an hour before the first reading with 4 machines; the next 60 s count at the larger reading.
		assertEquals(4.0, readings.get(0).machineHours(), 1e-9);
		assertEquals(2.0, readings.get(0).maxCost(), 1e-9);
		assertEquals(4.0 + 4 / 60.0, readings.get(1).machineHours(), 1e-9);
		assertEquals(2, readings.get(1).fleetRunning());
	}

	@Test
	void tasksSubmittedWhileMonitoringRaiseTheTotalAndKeepWhatIsDone() {
		send(0, 4);
		ScriptedTicker ticker = new ScriptedTicker(T0).then(() -> receive(4).forEach(queue::delete)).then(() -> send(4, 3));

		assertThrows(ScriptedTicker.Killed.class, () -> monitor(ticker, false).run());

		assertEquals(List.of(0L, 4L, 4L), readings.stream().map(MonitorReading::done).toList());
		assertEquals(List.of(4L, 4L, 7L), readings.stream().map(MonitorReading::total).toList());
	}

	@Test
	void aRunAlreadyTornDownIsReportedAndLeftAlone() {
		RunState.read(stateFile).with(RunKeys.TEARDOWN, "done").with(RunKeys.TEARDOWN_AT, "0").write(stateFile);
		send(0, 3);

		Monitor.Outcome outcome = monitor(new ScriptedTicker(T0), false).run();

		assertEquals(Monitor.Ending.ALREADY_TORN_DOWN, outcome.ending());
		assertEquals(0, teardowns);
		assertTrue(readings.isEmpty());
		assertTrue(events.get(0).contains("was already torn down at 1970-01-01T00:00:00Z: nothing to do"), events.toString());
		assertEquals(4, fleet.describe().target());
	}

	@Test
	void aTeardownByAnotherProcessEndsTheMonitorWithoutASecondOne() {
		send(0, 3);
		ScriptedTicker ticker = new ScriptedTicker(T0).then(() -> RunState.read(stateFile).with(RunKeys.TEARDOWN, "done").write(stateFile));

		assertEquals(Monitor.Ending.ALREADY_TORN_DOWN, monitor(ticker, false).run().ending());
		assertEquals(0, teardowns);
		assertEquals(1, readings.size());
	}

	@Test
	void anInterruptedTeardownIsFinishedByTheNextMonitor() {
		ScriptedTicker ticker = new ScriptedTicker(T0).idle(5);
		Monitor failing = new Monitor(queue, fleet, RunStateStore.local(stateFile), new MonitorOptions(INTERVAL, false, 3, 2, 0.5),
			MonitorListener.NONE, () -> {
				throw new ParascopeException("teardown incomplete");
			}, ticker);
		Monitor.Outcome stopped = failing.run();
		assertEquals(Monitor.Ending.STOPPED, stopped.ending());
		assertTrue(stopped.why().orElseThrow().contains("teardown incomplete"), stopped.toString());
		assertEquals("started", saved().get(RunKeys.TEARDOWN));

		Monitor.Outcome outcome = monitor(new ScriptedTicker(T0.plus(Duration.ofHours(1))), false).run();

		assertEquals(Monitor.Ending.TORN_DOWN, outcome.ending());
		assertEquals(1, teardowns);
		assertTrue(readings.isEmpty(), "no new readings before finishing the teardown");
		assertEquals("done", saved().get(RunKeys.TEARDOWN));
		assertFalse(events.isEmpty());
	}

	// Weather. The failures are the AWS SDK's own exceptions, thrown where the queue would be read: the
	// real SQS behind a fault proxy is in UnattendedRunTest; here the exact sequence of pauses is checked.

	/** The queue's counts, failing with {@code failure} at the readings numbered in {@code failing} (from 1). */
	private Supplier<QueueCounts> countsFailingAt(Supplier<RuntimeException> failure, Integer... failing) {
		List<Integer> at = List.of(failing);
		int[] calls = { 0 };
		return () -> {
			if (at.contains(++calls[0])) throw failure.get();
			return queue.counts();
		};
	}

	private Monitor monitor(Supplier<QueueCounts> counts, ScriptedTicker ticker) {
		MonitorListener listener = new MonitorListener() {
			@Override
			public void reading(MonitorReading r) {
				readings.add(r);
				events.add("reading " + r.waiting() + "/" + r.inFlight() + " fleet " + r.fleetTarget());
			}

			@Override
			public void note(String line) {
				events.add(line.replaceFirst("^\\d\\d:\\d\\d:\\d\\d  ", ""));
			}
		};
		return new Monitor(counts, fleet, RunStateStore.local(stateFile), new MonitorOptions(INTERVAL, false, 3, 2, 0.5),
			listener, () -> {
				teardowns++;
				fleet.stop();
			}, ticker, AwsFailures.INSTANCE);
	}

	@Test
	void aReadingThatFailsForWeatherIsReportedAndRetriedWithGrowingPausesAndTheRunStillEndsTornDown() {
		send(0, 2);
		ScriptedTicker ticker = new ScriptedTicker(T0).then(() -> receive(2).forEach(queue::delete)).idle(20);
		Supplier<RuntimeException> reset = () -> SdkClientException.create("Unable to execute HTTP request: Connection reset",
			new SocketException("Connection reset"));

		Monitor.Outcome outcome = monitor(countsFailingAt(reset, 2, 3, 4), ticker).run();

		assertEquals(Monitor.Ending.TORN_DOWN, outcome.ending());
		assertEquals(1, teardowns);
		List<String> failures = events.stream().filter(e -> e.contains("failed")).toList();
		assertEquals(List.of(
			"reading the queue and the fleet failed (Unable to execute HTTP request: Connection reset); trying again in 10 s; "
				+ "the last good reading, at " + clock(T0) + ", stands",
			"reading the queue and the fleet failed (Unable to execute HTTP request: Connection reset); trying again in 20 s; "
				+ "the last good reading, at " + clock(T0) + ", stands",
			"reading the queue and the fleet failed (Unable to execute HTTP request: Connection reset); trying again in 40 s; "
				+ "the last good reading, at " + clock(T0) + ", stands"), failures);
		// The first reading, an interval, three failed tries with growing pauses, then a good reading.
		assertEquals(T0.plus(INTERVAL).plusSeconds(10 + 20 + 40), readings.get(1).at());
		assertEquals(2, readings.get(1).done());
	}

	@Test
	void weatherPausesGrowToFiveMinutesAndStayThere() {
		assertEquals(List.of(10L, 20L, 40L, 80L, 160L, 300L, 300L, 300L),
			IntStream.rangeClosed(1, 8).mapToObj(n -> Monitor.retryPause(n).toSeconds()).toList());
		assertEquals(Duration.ofMinutes(5), Monitor.retryPause(1000));
	}

	@Test
	void throttlingAndServerErrorsAreWeatherButADeletedQueueOrADeniedPermissionStopsTheMonitor() {
		assertTrue(AwsErrors.isTransient(serviceError(400, "ThrottlingException")));
		assertTrue(AwsErrors.isTransient(serviceError(500, null)));
		assertTrue(AwsErrors.isTransient(serviceError(400, "ExpiredToken")));
		assertTrue(AwsErrors.isTransient(new ParascopeException("describing spot fleet", serviceError(503, "Unavailable"))));
		assertFalse(AwsErrors.isTransient(serviceError(400, "AWS.SimpleQueueService.NonExistentQueue")));
		assertFalse(AwsErrors.isTransient(serviceError(403, "AccessDenied")));
		assertFalse(AwsErrors.isTransient(new ParascopeException("no such state file")));
	}

	@Test
	void aDeletedQueueStopsTheMonitorWithoutATeardownAndSaysWhatStillRunsAndCosts() {
		send(0, 2);
		ScriptedTicker ticker = new ScriptedTicker(T0).idle(5);

		Monitor.Outcome outcome = monitor(countsFailingAt(() -> new ParascopeException("reading queue AppQueue",
			serviceError(400, "AWS.SimpleQueueService.NonExistentQueue")), 2), ticker).run();

		assertEquals(Monitor.Ending.STOPPED, outcome.ending());
		assertEquals(0, teardowns);
		assertEquals(new FleetState(4, 4), outcome.machines().orElseThrow());
		assertTrue(outcome.why().orElseThrow().startsWith("reading the queue and the fleet failed, and waiting will not help: "
			+ "reading queue AppQueue"), outcome.why().toString());
		assertTrue(events.contains("still running: 4 machine(s) of the fleet (target 4), costing up to $2.00 an hour "
			+ "(MACHINE_PRICE x machines), plus the queue, service and cluster of the run"), events.toString());
		assertEquals(1, readings.size(), "the last good reading is the outcome's");
		assertEquals(readings.get(0), outcome.last().orElseThrow());
		assertEquals(null, saved().get(RunKeys.TEARDOWN));
	}

	@Test
	void anInterruptStopsTheMonitorBetweenReadingsAndTheRunStays() {
		send(0, 2);
		ScriptedTicker ticker = new ScriptedTicker(T0).idle(1).then(() -> Thread.currentThread().interrupt()).idle(5);
		try {
			Monitor.Outcome outcome = monitor(ticker, false).run();

			assertEquals(Monitor.Ending.STOPPED, outcome.ending());
			assertEquals("told to stop", outcome.why().orElseThrow());
			assertEquals(2, readings.size());
			assertEquals(0, teardowns);
			assertEquals(4, fleet.describe().target());
			assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
		}
		finally {
			Thread.interrupted();
		}
	}

	@Test
	void aTeardownStoppedByWeatherIsTriedAgainUntilItCompletes() {
		int[] tries = { 0 };
		Monitor monitor = new Monitor(queue, fleet, RunStateStore.local(stateFile), new MonitorOptions(INTERVAL, false, 3, 2, 0.5),
			new MonitorListener() {
				@Override
				public void reading(MonitorReading reading) {}

				@Override
				public void note(String line) {
					events.add(line);
				}
			}, () -> {
				if (++tries[0] < 3) throw new TransientException("cluster still draining", null);
				fleet.stop();
			}, new ScriptedTicker(T0).idle(10));

		assertEquals(Monitor.Ending.TORN_DOWN, monitor.run().ending());
		assertEquals(3, tries[0]);
		assertEquals(2, events.stream().filter(e -> e.contains("tearing down failed (cluster still draining)")).count(), events.toString());
		assertEquals("done", saved().get(RunKeys.TEARDOWN));
	}

	private static AwsServiceException serviceError(int status, String code) {
		return AwsServiceException.builder().statusCode(status).message(code)
			.awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).serviceName("Test").build()).build();
	}

	private static String clock(Instant at) {
		return DateTimeFormatter.ofPattern("HH:mm:ss").format(LocalTime.ofInstant(at, ZoneId.systemDefault()));
	}
}
