package org.parascope.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import org.parascope.ParascopeException;
import org.parascope.Ticker;
import org.parascope.aws.ecs.MonitorService;
import org.parascope.aws.ecs.WorkerService;
import org.parascope.aws.fleet.AwsFleet;
import org.parascope.aws.fleet.IdleAlarms;
import org.parascope.aws.fleet.LaunchTemplates;
import org.parascope.aws.logs.Dashboard;
import org.parascope.aws.queue.SqsQueue;
import org.parascope.aws.run.FleetStart;
import org.parascope.aws.run.Teardown;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;
import org.parascope.run.RunState;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

/**
 * Each resource's owner against the emulator: removing what is there says so, removing it again says it
 * is gone (not an error); and start-fleet's undo and the teardown leave nothing of what start-fleet makes.
 */
@ExtendWith(MotoServer.class)
class ResourceOwnersTest {

	private static final Teardown.Waits QUICK = new Teardown.Waits(Duration.ofMillis(10), Duration.ofSeconds(2),
		Duration.ofSeconds(10));

	@TempDir
	Path dir;

	private AwsClients aws;
	private FleetFixture fixture;

	@AfterEach
	void close() {
		if (aws != null) aws.close();
		if (fixture != null) fixture.close();
	}

	@Test
	void removingAResourceTwiceThroughItsOwnerRemovesItThenReportsItAbsent() {
		Config config = Config.defaults().with(ConfigKey.APP_NAME, "App").with(ConfigKey.ECS_CLUSTER, "AppCluster")
			.with(ConfigKey.AWS_BUCKET, RunResources.BUCKET);
		aws = new AwsClients(config, null, MotoServer.env());
		String fleetId = RunResources.create(aws, "AppCluster");
		String machine = aws.ec2().describeFleetInstances(b -> b.fleetId(fleetId)).activeInstances().get(0).instanceId();
		String templateId = aws.ec2().describeLaunchTemplates(b -> {}).launchTemplates().get(0).launchTemplateId();
		WorkerService service = new WorkerService(aws.ecs(), "AppCluster", "AppService");
		IdleAlarms alarms = new IdleAlarms(aws, "App");

		twice(() -> List.of(AwsFleet.open(aws, fleetId).removeIfPresent().removal()),
			List.of("deleted: EC2 fleet " + fleetId + " (2 machines terminating)"), List.of("already gone: EC2 fleet " + fleetId));
		twice(() -> List.of(LaunchTemplates.removeIfPresent(aws.ec2(), templateId)),
			List.of("deleted: launch template " + templateId), List.of("already gone: launch template " + templateId));
		twice(() -> LaunchTemplates.removeOfApp(aws.ec2(), "App", "AppLaunchTemplate"),
			null, List.of("already gone: launch template AppLaunchTemplate"));
		twice(() -> List.of(service.scaleToZero()),
			List.of("scaled to 0: service AppService (was 2 containers)"), List.of("already gone: service AppService"));
		twice(() -> List.of(service.removeIfPresent()),
			List.of("deleted: service AppService"), List.of("already gone: service AppService"));
		twice(alarms::removeAll, List.of("deleted: alarm App_" + machine, "deleted: alarm ApproximateNumberOfMessagesVisibleisZero_App"),
			List.of("already gone: alarms of App"));
		twice(() -> List.of(SqsQueue.removeIfPresent(aws.sqs(), "AppQueue")),
			List.of("deleted: queue AppQueue"), List.of("already gone: queue AppQueue"));
		twice(() -> List.of(SqsQueue.removeDeadLettersIfEmpty(aws.sqs(), "AppDeadMessages")),
			List.of("deleted: dead-letter queue AppDeadMessages"), List.of("already gone: dead-letter queue AppDeadMessages"));
		twice(() -> List.of(Dashboard.removeIfPresent(aws.cloudWatch(), "App")),
			List.of("deleted: dashboard App"), List.of("already gone: dashboard App"));
		// Never made: absent at once.
		String monitor = MonitorService.name("App", fleetId);
		twice(() -> List.of(new MonitorService(aws).removeIfPresent(monitor)),
			List.of("already gone: monitor service " + monitor), List.of("already gone: monitor service " + monitor));
		String spotFleet = "sfr-12345678-90ab-cdef-1234-567890abcdef";
		twice(() -> List.of(AwsFleet.open(aws, spotFleet).removeIfPresent().removal()),
			List.of("already gone: spot fleet " + spotFleet), List.of("already gone: spot fleet " + spotFleet));
	}

	/**
	 * Runs a removal twice: the first says {@code first} (null: whatever it removed, none failed), the
	 * second {@code then}, every one of them absent.
	 */
	private static void twice(Supplier<List<Removal>> removal, List<String> first, List<String> then) {
		List<Removal> removed = removal.get();
		assertTrue(removed.stream().noneMatch(Removal::isFailed), removed.toString());
		if (first != null) assertEquals(first, removed.stream().map(Removal::line).toList());
		List<Removal> again = removal.get();
		assertEquals(then, again.stream().map(Removal::line).toList());
		assertTrue(again.stream().allMatch(r -> r.outcome() == Removal.Outcome.ABSENT), again.toString());
	}

	@Test
	void startFleetsUndoAndTheTeardownLeaveNothingOfWhatStartFleetMakes() throws Exception {
		fixture = new FleetFixture(Map.of(ConfigKey.CREATE_DASHBOARD, true)).withAccount().withService();
		aws = null;

		FleetStart.Result started = FleetStart.run(fixture.config, fixture.aws, null, dir, Duration.ofMinutes(1), line -> {});
		Set<String> made = kinds(startFleetResources());
		assertEquals(Set.of("fleet", "launch template", "dashboard", "machine", "alarm"), made,
			"what a started fleet holds: " + startFleetResources());
		List<String> output = new ArrayList<>();
		Teardown.Result torn = new Teardown(fixture.aws, TeardownPlan.of(fixture.config,
			Optional.of(RunState.read(started.stateFile()))), output::add, QUICK, Ticker.SYSTEM, false).run();
		assertTrue(torn.complete(), output.toString());
		assertEquals(Set.of(), startFleetResources(), "after the teardown; it said " + output);

		// A file where the state file's folder should be: start-fleet fails after the fleet and dashboard.
		fixture.withService();
		Path failing = Files.createDirectory(dir.resolve("failing"));
		Files.writeString(failing.resolve("files"), "not a folder");
		String message = assertThrows(ParascopeException.class,
			() -> FleetStart.run(fixture.config, fixture.aws, null, failing, Duration.ofMinutes(1), line -> {})).getMessage();
		assertTrue(message.endsWith("The fleet was cancelled and everything start-fleet created was removed."), message);
		assertEquals(Set.of(), startFleetResources(), "after the undo");
	}

	/** What start-fleet makes that is still there: live fleets, launch templates, dashboards, machines, alarms. */
	private Set<String> startFleetResources() {
		Set<String> found = new TreeSet<>();
		fixture.aws.ec2().describeFleets(b -> {}).fleets().stream().filter(f -> AwsFleet.isLive(f.fleetStateAsString()))
			.forEach(f -> found.add("fleet " + f.fleetId()));
		fixture.aws.ec2().describeLaunchTemplates(b -> {}).launchTemplates()
			.forEach(t -> found.add("launch template " + t.launchTemplateName()));
		fixture.aws.cloudWatch().listDashboards(b -> {}).dashboardEntries().forEach(d -> found.add("dashboard " + d.dashboardName()));
		fixture.aws.ec2().describeInstances().reservations().stream().flatMap(r -> r.instances().stream())
			.filter(i -> i.state().name() != InstanceStateName.TERMINATED && i.state().name() != InstanceStateName.SHUTTING_DOWN)
			.forEach(i -> found.add("machine " + i.instanceId()));
		fixture.aws.cloudWatch().describeAlarms().metricAlarms().stream().map(MetricAlarm::alarmName)
			.forEach(a -> found.add("alarm " + a));
		return found;
	}

	private static Set<String> kinds(Set<String> resources) {
		Set<String> kinds = new TreeSet<>();
		for (String r : resources) kinds.add(r.substring(0, r.lastIndexOf(' ')));
		return kinds;
	}
}
