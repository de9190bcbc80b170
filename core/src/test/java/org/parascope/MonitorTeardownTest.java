package org.parascope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.aws.AwsClients;
import org.parascope.aws.MotoServer;
import org.parascope.aws.RunResources;
import org.parascope.aws.store.S3RunStateStore;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;
import org.parascope.fleet.LocalFleet;
import org.parascope.monitor.Monitor;
import org.parascope.monitor.MonitorListener;
import org.parascope.monitor.MonitorOptions;
import org.parascope.monitor.MonitorReading;
import org.parascope.monitor.ScriptedTicker;
import org.parascope.queue.LocalTaskQueue;
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

/**
 * The facade's monitor from the first reading to the AWS teardown: the counts come from a local
 * queue worked by hand (the emulator's ECS runs no containers), the resources and the state file's
 * S3 copy live in the emulator.
 */
@ExtendWith(MotoServer.class)
class MonitorTeardownTest {

	@TempDir
	Path dir;

	@Test
	void aDetachedStyleMonitorTearsTheRunDownOnceTheQueueStaysEmptyAndRecordsItInS3() {
		Config config = Config.defaults().with(ConfigKey.APP_NAME, "App").with(ConfigKey.ECS_CLUSTER, "AppCluster")
			.with(ConfigKey.AWS_BUCKET, RunResources.BUCKET);
		try (Parascope parascope = new Parascope(config, new AwsClients(config, null, MotoServer.env()))) {
			AwsClients aws = parascope.aws();
			String fleetId = RunResources.create(aws, "AppCluster");
			String location = "s3://" + RunResources.BUCKET + "/parascope/state/AppSpotFleetRequestId.json";
			RunStateStore store = S3RunStateStore.of(aws.s3(), location);
			store.write(RunResources.state(fleetId, "AppCluster"));

			LocalTaskQueue queue = new LocalTaskQueue(3, Duration.ofMinutes(10));
			queue.send(List.of(TaskQueueContract.task(1), TaskQueueContract.task(2)));
			ScriptedTicker ticker = new ScriptedTicker(Instant.now())
				.then(() -> queue.delete(queue.receive(Duration.ZERO).orElseThrow()))
				.then(() -> queue.delete(queue.receive(Duration.ZERO).orElseThrow()))
				.idle(5);
			List<String> notes = new ArrayList<>();
			List<MonitorReading> readings = new ArrayList<>();
			MonitorListener listener = new MonitorListener() {
				@Override
				public void reading(MonitorReading reading) {
					readings.add(reading);
				}

				@Override
				public void note(String line) {
					notes.add(line);
				}
			};

			Monitor.Outcome outcome;
			try (LocalFleet fleet = idleFleet()) {
				fleet.start(2);
				outcome = parascope.monitor(store, new MonitorOptions(Duration.ofMinutes(1), false, 3, 1, 0.2), listener,
					queue, fleet, ticker);
			}

			assertEquals(Monitor.Ending.TORN_DOWN, outcome.ending());
			assertEquals(5, readings.size(), readings.toString());
			assertEquals(2, outcome.last().orElseThrow().done());
			assertTrue(notes.contains("deleted: queue AppQueue"), notes.toString());
			assertTrue(notes.contains("deleted: EC2 fleet " + fleetId + " (2 machines terminating)"), notes.toString());
			assertTrue(notes.contains("deleted: cluster AppCluster"), notes.toString());
			assertTrue(notes.contains("exported: log group App to s3://results/exportedlogs/App/"), notes.toString());
			assertEquals(List.of(), aws.sqs().listQueues(b -> b.queueNamePrefix("App")).queueUrls());
			// The run's report, made from its trace (empty here: no worker ran), left in the bucket and said.
			String report = notes.stream().filter(n -> n.startsWith("report: s3://results/parascope/runs/App/report-"))
				.findFirst().orElseThrow(() -> new AssertionError("no report note: " + notes));
			assertTrue(aws.s3().headObject(b -> b.bucket("results").key(report.substring("report: s3://results/".length())))
				.contentLength() > 1000, report);
			RunState recorded = store.read();
			assertEquals(RunKeys.DONE_VALUE, recorded.extra().get(RunKeys.TEARDOWN));
			assertEquals("2", recorded.extra().get(RunKeys.DONE));

			List<String> again = new ArrayList<>();
			MonitorListener second = new MonitorListener() {
				@Override
				public void reading(MonitorReading reading) {
					throw new AssertionError("no reading after the teardown");
				}

				@Override
				public void note(String line) {
					again.add(line);
				}
			};
			assertEquals(Monitor.Ending.ALREADY_TORN_DOWN, parascope.monitor(location, MonitorOptions.of(config,
				Duration.ofMinutes(1), false), second).ending());
			assertTrue(again.get(0).contains("was already torn down"), again.toString());
		}
	}

	private LocalFleet idleFleet() {
		LocalObjectStore files = new LocalObjectStore(dir);
		Worker.Setup setup = new Worker.Setup(new LocalTaskQueue(1, Duration.ofSeconds(30)), new Stores(files, files, files),
			new DoneCheck(false, 1, 1, ""), WorkerListener.NONE, dir, Duration.ofMillis(100));
		return new LocalFleet(n -> new Worker("w" + n, new Runners(List.of(), Config.defaults()), setup));
	}
}
