package org.parascope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.aws.AwsClients;
import org.parascope.aws.MotoServer;
import org.parascope.aws.RunResources;
import org.parascope.aws.store.S3RunStateStore;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;
import org.parascope.machines.MachinePlace;
import org.parascope.machines.MachineRecord;
import org.parascope.monitor.Monitor;
import org.parascope.monitor.MonitorListener;
import org.parascope.monitor.MonitorOptions;
import org.parascope.monitor.MonitorReading;
import org.parascope.monitor.ScriptedTicker;
import org.parascope.report.Chromium;
import org.parascope.report.ReportPage;
import org.parascope.report.Reports;
import org.parascope.report.RunFigures;
import org.parascope.report.RunFigures.MachineCost;
import org.parascope.run.RunState;
import org.parascope.run.RunStateStore;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.ec2.model.AllocationStrategy;

/**
 * An AWS run's cost from its machines' lifetimes (docs/trace.md, "Machines"): the monitor records each
 * machine of the fleet in AWS_BUCKET as it sees them, and the report prices each spot machine's lifetime
 * from the spot price history of its type and zone. On the emulator: moto's spot price history is one
 * price, $0.00001 an hour, for every type and zone, stamped 2006, whatever zone or window is asked; a
 * machine's cost is therefore its hours at that price. moto also places a Spot Fleet's machines in
 * us-east-1a whatever zone the request names.
 */
@ExtendWith(MotoServer.class)
class FleetCostTest {

	/** moto's one spot price, USD an hour. */
	static final double MOTO_PRICE = 0.00001;

	@TempDir
	Path dir;

	private final Config config = Config.defaults().with(ConfigKey.APP_NAME, "App").with(ConfigKey.ECS_CLUSTER, "AppCluster")
		.with(ConfigKey.AWS_BUCKET, RunResources.BUCKET);

	@Test
	void theMonitorRecordsTheFleetsMachinesAsTheyComeAndGoAndTheReportPricesTheirLifetimes() {
		try (Parascope parascope = new Parascope(config, new AwsClients(config, null, MotoServer.env()))) {
			AwsClients aws = parascope.aws();
			RunResources.create(aws, "AppCluster");
			String fleetId = aws.ec2().requestSpotFleet(b -> b.spotFleetRequestConfig(c -> c
				.allocationStrategy(AllocationStrategy.LOWEST_PRICE).iamFleetRole("arn:aws:iam::123456789012:role/fleet")
				.targetCapacity(1).launchSpecifications(l -> l.imageId(RunResources.AMI).instanceType("c5.large")))).spotFleetRequestId();
			RunState state = RunResources.state(fleetId, "AppCluster");
			RunStateStore store = S3RunStateStore.of(aws.s3(), "s3://" + RunResources.BUCKET + "/parascope/state/AppSpotFleetRequestId.json");
			store.write(state);
			String key = MachinePlace.key("App", fleetId);
			assertEquals("parascope/runs/App/machines/" + fleetId + ".jsonl", key);

			Instant t0 = Instant.now();
			List<List<MachineRecord>> afterReading = new ArrayList<>();
			ScriptedTicker ticker = new ScriptedTicker(t0)
				.then(() -> {
					afterReading.add(records(aws, key));
					// A second machine joins (a spot replacement, or start-fleet raising the target).
					aws.ec2().modifySpotFleetRequest(b -> b.spotFleetRequestId(fleetId).targetCapacity(2));
				})
				.then(() -> afterReading.add(records(aws, key)))
				.idle(20);
			List<String> notes = new ArrayList<>();
			MonitorListener listener = new MonitorListener() {
				@Override
				public void reading(MonitorReading reading) {}

				@Override
				public void note(String line) {
					notes.add(line);
				}
			};
			// The queue is empty: the second reading lowers the fleet to one machine, the third tears the run down.
			Monitor.Outcome outcome = parascope.monitor(store, new MonitorOptions(Duration.ofMinutes(1), false, 3, 1, 0.2),
				listener, ticker);
			assertEquals(Monitor.Ending.TORN_DOWN, outcome.ending(), notes.toString());

			// Written as the run went: one machine after the first reading, two after the second, none ended yet.
			assertEquals(1, afterReading.get(0).size(), afterReading.toString());
			assertNull(afterReading.get(0).get(0).end());
			assertEquals(t0, afterReading.get(0).get(0).firstSeen());
			assertEquals(2, afterReading.get(1).size(), afterReading.toString());
			assertEquals(t0.plus(Duration.ofMinutes(1)), afterReading.get(1).get(1).firstSeen());
			assertTrue(afterReading.get(1).stream().allMatch(m -> m.end() == null), afterReading.toString());

			List<MachineRecord> machines = records(aws, key);
			assertEquals(2, machines.size(), machines.toString());
			for (MachineRecord m : machines) {
				assertEquals("c5.large", m.instanceType());
				assertEquals("us-east-1a", m.zone());
				assertEquals(MachineRecord.SPOT, m.lifecycle());
				assertNotNull(m.end(), "the teardown ended every machine: " + m);
			}
			// The lowered fleet lost one machine, which the third reading found gone; the teardown ended the other.
			Instant third = t0.plus(Duration.ofMinutes(2));
			MachineRecord lowered = machines.stream().filter(m -> m.lastSeen().equals(t0.plus(Duration.ofMinutes(1))))
				.findFirst().orElseThrow(() -> new AssertionError("no machine last seen at the second reading: " + machines));
			assertEquals(third, lowered.end());
			MachineRecord kept = machines.stream().filter(m -> m != lowered).findFirst().orElseThrow();
			assertTrue(!kept.end().isBefore(third) && kept.end().equals(kept.lastSeen()), kept.toString());

			// The report prices each machine from its launch to its end, and says where they come from.
			RunFigures figures = parascope.cloudReport(state.startTime(), "fleet " + fleetId);
			RunFigures.Cost cost = figures.cost();
			assertTrue(cost.machinesFrom().startsWith("the monitor's record"), cost.machinesFrom());
			assertEquals(2, cost.machines().size());
			double hours = 0;
			for (MachineCost m : cost.machines()) {
				MachineRecord r = machines.stream().filter(x -> x.instanceId().equals(m.machine())).findFirst().orElseThrow();
				double h = Duration.between(r.launch(), r.end()).toMillis() / 3_600_000.0;
				assertEquals(h, m.hours(), 1e-9);
				assertEquals(h * MOTO_PRICE, m.spotCost(), 1e-12, m.toString());
				hours += h;
			}
			assertEquals(hours * MOTO_PRICE, cost.spotCost(), 1e-12);
			assertEquals(hours * config.decimal(ConfigKey.MACHINE_PRICE), cost.upperBound(), 1e-9);
			assertEquals(1, cost.types().size());
			assertEquals(2, cost.types().get(0).machines());
			assertTrue(notes.stream().anyMatch(n -> n.startsWith("report: s3://results/parascope/runs/App/report-")), notes.toString());
		}
	}

	/**
	 * The report page of a run whose monitor recorded two spot machines of two zones and an on-demand one:
	 * the per-machine costs, the per-type table, and the on-demand machine left unpriced and said so; --json
	 * carries the same figures.
	 */
	@Test
	void theReportPageShowsEachMachinesCost() throws Exception {
		try (Parascope parascope = new Parascope(config, new AwsClients(config, null, MotoServer.env()))) {
			AwsClients aws = parascope.aws();
			aws.s3().createBucket(b -> b.bucket(RunResources.BUCKET));
			Instant t = Instant.parse("2026-01-05T08:00:00Z");
			List<MachineRecord> machines = List.of(
				new MachineRecord("i-0aaa", "c5.large", "us-east-1a", MachineRecord.SPOT, t, t, t.plus(Duration.ofHours(10)),
					t.plus(Duration.ofHours(10))),
				new MachineRecord("i-0bbb", "c5.large", "us-east-1b", MachineRecord.SPOT, t, t, t.plus(Duration.ofHours(5)),
					t.plus(Duration.ofHours(5))),
				new MachineRecord("i-0ccc", "m5.large", "us-east-1a", MachineRecord.ON_DEMAND, t, t, t.plus(Duration.ofHours(2)),
					null));
			StringBuilder lines = new StringBuilder();
			machines.forEach(m -> lines.append(m.toJson()).append('\n'));
			aws.s3().putObject(b -> b.bucket(RunResources.BUCKET).key(MachinePlace.key("App", "sfr-1")),
				RequestBody.fromString(lines.toString(), StandardCharsets.UTF_8));
			// A machine of an earlier run of the app, ended before this one began: not this run's.
			aws.s3().putObject(b -> b.bucket(RunResources.BUCKET).key(MachinePlace.key("App", "sfr-0")),
				RequestBody.fromString(new MachineRecord("i-0old", "c5.large", "us-east-1a", MachineRecord.SPOT,
					t.minus(Duration.ofDays(2)), t.minus(Duration.ofDays(2)), t.minus(Duration.ofDays(1)),
					t.minus(Duration.ofDays(1))).toJson() + "\n", StandardCharsets.UTF_8));

			RunFigures figures = parascope.cloudReport(t.minus(Duration.ofMinutes(5)), "fleet sfr-1");
			RunFigures.Cost cost = figures.cost();
			assertEquals(List.of("i-0aaa", "i-0bbb", "i-0ccc"), cost.machines().stream().map(MachineCost::machine).toList());
			assertEquals(10 * MOTO_PRICE, cost.machines().get(0).spotCost(), 1e-12);
			assertEquals(5 * MOTO_PRICE, cost.machines().get(1).spotCost(), 1e-12);
			assertNull(cost.machines().get(2).spotCost(), "on-demand: not priced from the spot price history");
			assertEquals(15 * MOTO_PRICE, cost.spotCost(), 1e-12);
			assertEquals(17, cost.machineHours(), 1e-9);
			assertTrue(cost.spotNote().contains("1 on-demand machine(s) not priced"), cost.spotNote());
			assertTrue(cost.spotNote().contains("1 machine(s) whose end no monitor saw"), cost.spotNote());

			String json = ReportPage.json(figures);
			assertTrue(json.contains("\"machine\" : \"i-0aaa\""), json);
			assertTrue(json.contains("\"spotCost\" : 1.0E-4"), json);
			assertTrue(json.contains("\"lifecycle\" : \"on-demand\""), json);

			Path page = dir.resolve("report.html");
			Reports.write(page, ReportPage.html(figures));
			Chromium chromium = Chromium.installed();
			String dom = chromium.dumpDom(page, 2000);
			assertEquals(List.of("i-0aaa", "c5.large", "us-east-1a", "spot", "2026-01-05 08:00:00 UTC",
				"2026-01-05 18:00:00 UTC", "10", "$0.000100"), row(dom, "machines-table", "i-0aaa"));
			assertEquals("$0.000050", row(dom, "machines-table", "i-0bbb").get(7));
			List<String> onDemand = row(dom, "machines-table", "i-0ccc");
			assertEquals("on-demand", onDemand.get(3));
			assertEquals("2026-01-05 10:00:00 UTC (last seen)", onDemand.get(5));
			assertEquals("\u2013", onDemand.get(7));
			assertEquals(List.of("c5.large", "spot", "2", "15", "2", "$0.000150"), row(dom, "machine-types", "c5.large"));
			assertTrue(dom.contains("on-demand machine(s) not priced"), "the page says why one machine has no cost");
			chromium.screenshot(page, Path.of("target", "report-machine-costs.png"), 820, 2600);
		}
	}

	/** The cells of the row of table {@code id} whose first cell is {@code first}. */
	static List<String> row(String dom, String id, String first) {
		int table = dom.indexOf("id=\"" + id + "\"");
		assertTrue(table >= 0, "no table " + id);
		String rest = dom.substring(table, dom.indexOf("</table>", table));
		Matcher m = Pattern.compile("<tr><td>" + Pattern.quote(first) + "</td>(.*?)</tr>").matcher(rest);
		assertTrue(m.find(), "no row " + first + " in " + id + ": " + rest);
		List<String> cells = new ArrayList<>(List.of(first));
		Matcher c = Pattern.compile("<td>(.*?)</td>").matcher(m.group(1));
		while (c.find()) cells.add(c.group(1).replace("&ndash;", "\u2013"));
		return cells;
	}

	private static List<MachineRecord> records(AwsClients aws, String key) {
		String text = aws.s3().getObjectAsBytes(b -> b.bucket(RunResources.BUCKET).key(key)).asUtf8String();
		return text.lines().map(MachineRecord::parse).toList();
	}
}
