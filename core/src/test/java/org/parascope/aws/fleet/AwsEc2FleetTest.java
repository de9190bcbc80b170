package org.parascope.aws.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.parascope.ParascopeException;
import org.parascope.aws.FleetFixture;
import org.parascope.aws.MotoServer;
import org.parascope.fleet.FleetState;

/**
 * The EC2 Fleet kind (what start-fleet builds from the config) against the emulator. It cannot run
 * {@code FleetContract} whole: moto 5.2.5 has no ModifyFleet (it answers HTTP 500), so scaling is
 * untestable here. The rest of the contract is checked below; the last test pins the limitation,
 * so that a moto upgrade which adds ModifyFleet fails it: then extend FleetContract instead.
 */
@ExtendWith(MotoServer.class)
class AwsEc2FleetTest {

	private FleetFixture fixture;

	private AwsFleet newFleet() {
		fixture = new FleetFixture(Map.of()).withAccount();
		return new AwsFleet(fixture.aws, ConfigMachines.plan(fixture.aws, fixture.config), "FleetyLaunchTemplate");
	}

	@AfterEach
	void close() {
		if (fixture != null) fixture.close();
	}

	@Test
	void startsAndStopsAndStopIsSafeTwice() {
		AwsFleet fleet = newFleet();
		fleet.start(3);
		assertTrue(fleet.id().orElseThrow().startsWith("fleet-"));
		assertEquals(new FleetState(3, 3), fleet.describe());
		assertEquals(new FleetState(3, 3), AwsFleet.open(fixture.aws, fleet.id().orElseThrow()).describe());
		fleet.stop();
		assertEquals(new FleetState(0, 0), fleet.describe());
		fleet.stop();
		assertEquals(0, fixture.aws.ec2().describeLaunchTemplates().launchTemplates().size());
		assertEquals("deleted_terminating", fixture.aws.ec2().describeFleets().fleets().get(0).fleetStateAsString());
	}

	@Test
	void theEmulatorCannotScaleAnEc2Fleet() {
		AwsFleet fleet = newFleet();
		fleet.start(2);
		var e = assertThrows(ParascopeException.class, () -> fleet.scale(1));
		assertTrue(e.getMessage().startsWith("changing the capacity of EC2 Fleet " + fleet.id().orElseThrow() + " to 1: "),
			e.getMessage());
		fleet.stop();
	}
}
