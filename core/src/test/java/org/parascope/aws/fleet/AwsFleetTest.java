package org.parascope.aws.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.ParascopeException;
import org.parascope.aws.FleetFixture;
import org.parascope.aws.MotoServer;
import org.parascope.fleet.Fleet;
import org.parascope.fleet.FleetContract;
import org.parascope.fleet.FleetState;
import org.parascope.run.RunKeys;
import org.parascope.run.RunState;

import software.amazon.awssdk.services.ec2.model.LaunchTemplateHttpTokensState;

/**
 * The Spot Fleet kind (what a DCP fleet file starts) against the emulator: the port's contract, and
 * what only the AWS adapter does (reopening by id, launch template lifecycle, DCP's gentle scale-down).
 */
@ExtendWith(MotoServer.class)
class AwsFleetTest extends FleetContract {

	@TempDir
	Path dir;

	private FleetFixture fixture;

	@Override
	protected Fleet newFleet() {
		try {
			fixture = new FleetFixture(Map.of()).withAccount();
			Path file = fixture.fleetFile(dir, fixture.dcpFleetJson());
			return new AwsFleet(fixture.aws, FleetFile.read(file, fixture.config, w -> {}), "FleetyLaunchTemplate");
		}
		catch (java.io.IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
	}

	@AfterEach
	void close() {
		if (fixture != null) fixture.close();
	}

	@Test
	void aFleetReopenedFromItsIdIsTheSameFleet() {
		AwsFleet fleet = (AwsFleet) newFleet();
		fleet.start(2);
		String id = fleet.id().orElseThrow();
		assertTrue(id.startsWith("sfr-"), id);
		AwsFleet reopened = AwsFleet.open(fixture.aws, id);
		assertEquals(FleetKind.SPOT_FLEET, reopened.kind());
		assertEquals(new FleetState(2, 2), reopened.describe());
		reopened.stop();
		assertEquals(new FleetState(0, 0), fleet.describe());
		assertEquals(0, runningInstances());
	}

	@Test
	void theLaunchTemplateRequiresImdsv2AndGoesWithTheFleet() {
		AwsFleet fleet = (AwsFleet) newFleet();
		fleet.start(1);
		String template = fleet.launchTemplateId().orElseThrow();
		var data = fixture.aws.ec2().describeLaunchTemplateVersions(r -> r.launchTemplateId(template))
			.launchTemplateVersions().get(0).launchTemplateData();
		assertEquals(LaunchTemplateHttpTokensState.REQUIRED, data.metadataOptions().httpTokens());
		fleet.stop();
		assertEquals(0, fixture.aws.ec2().describeLaunchTemplates().launchTemplates().size());
	}

	@Test
	void aStateFileReopensTheFleetWithItsLaunchTemplate() {
		AwsFleet fleet = (AwsFleet) newFleet();
		fleet.start(1);
		RunState state = new RunState(fleet.id().orElseThrow(), "Fleety", "workers", "q", "b", "g",
			java.time.Instant.now(), true, Map.of(RunKeys.LAUNCH_TEMPLATE_ID, fleet.launchTemplateId().orElseThrow()));
		AwsFleet.open(fixture.aws, state).stop();
		assertEquals(0, runningInstances());
		assertEquals(0, fixture.aws.ec2().describeLaunchTemplates().launchTemplates().size());
	}

	@Test
	void scalingDownWithoutTerminationKeepsTheMachinesAsDcpsMonitorDoes() {
		AwsFleet fleet = (AwsFleet) newFleet();
		fleet.start(3);
		fleet.scale(1, false);
		assertEquals(new FleetState(1, 3), fleet.describe());
		fleet.stop();
	}

	@Test
	void aRejectedRequestLeavesNoLaunchTemplate() throws Exception {
		fixture = new FleetFixture(Map.of()).withAccount();
		// The emulator checks subnets when it launches, so this request fails as AWS would.
		Path file = fixture.fleetFile(dir, fixture.dcpFleetJson().replace(fixture.subnets.get(0), "subnet-0000000000"));
		AwsFleet fleet = new AwsFleet(fixture.aws, FleetFile.read(file, fixture.config, w -> {}), "FleetyLaunchTemplate");
		var e = assertThrows(ParascopeException.class, () -> fleet.start(1));
		assertTrue(e.getMessage().startsWith("requesting the Spot Fleet: InvalidSubnetID.NotFound"), e.getMessage());
		assertEquals(0, fixture.aws.ec2().describeLaunchTemplates().launchTemplates().size());
		assertEquals(0, fixture.aws.ec2().describeSpotFleetRequests().spotFleetRequestConfigs().size());
	}

	@Test
	void anIdOfNeitherKindIsRefused() {
		fixture = new FleetFixture(Map.of());
		var e = assertThrows(ParascopeException.class, () -> AwsFleet.open(fixture.aws, "i-0123"));
		assertTrue(e.getMessage().contains("expected sfr-... for a Spot Fleet request or fleet-... for an EC2 Fleet"));
	}

	private long runningInstances() {
		return fixture.aws.ec2().describeInstances().reservations().stream().flatMap(r -> r.instances().stream())
			.filter(i -> !"terminated".equals(i.state().nameAsString())).count();
	}
}
