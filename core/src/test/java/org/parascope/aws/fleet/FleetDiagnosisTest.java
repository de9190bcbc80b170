package org.parascope.aws.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.parascope.aws.fleet.FleetDiagnosis.Cause;

/**
 * Fleet problems as AWS reports them (event subtypes and descriptions of Spot Fleet request
 * history and EC2 Fleet service errors), turned into plain answers. The emulator has no fleet
 * history, so these are AWS's documented events, written out.
 */
class FleetDiagnosisTest {

	private static FleetEvent event(String subtype, String description) {
		return new FleetEvent(Instant.EPOCH, subtype, description);
	}

	private static final MachinePlan MACHINES = new MachinePlan("App", "ami-1", "ecsInstanceRole", null, List.of(),
		List.of(), List.of(), true, List.of("m5.xlarge", "c5.xlarge"), "0.2", "", Map.of());

	@Test
	void eachKnownEventHasItsCause() {
		assertEquals(Optional.of(Cause.CAPACITY), FleetDiagnosis.classify(event("launchSpecUnusable",
			"{\"instanceType\":\"m5.xlarge\"} The price in a launch specification is not valid because it is below the Spot price")));
		assertEquals(Optional.of(Cause.CAPACITY), FleetDiagnosis.classify(event("error",
			"InsufficientInstanceCapacity: There is no Spot capacity available that matches your request.")));
		assertEquals(Optional.of(Cause.CAPACITY), FleetDiagnosis.classify(event("fleetProgressHalted", "")));
		assertEquals(Optional.of(Cause.QUOTA), FleetDiagnosis.classify(event("spotInstanceCountLimitExceeded", "")));
		assertEquals(Optional.of(Cause.QUOTA), FleetDiagnosis.classify(event("error",
			"MaxSpotInstanceCountExceeded: Max spot instance count exceeded")));
		assertEquals(Optional.of(Cause.CONFIGURATION), FleetDiagnosis.classify(event("iamFleetRoleInvalid",
			"Spot Fleet does not have required permissions")));
		assertEquals(Optional.of(Cause.CONFIGURATION), FleetDiagnosis.classify(event("spotFleetRequestConfigurationInvalid",
			"InvalidAMIID.NotFound: The image id '[ami-fad25980]' does not exist")));
		assertEquals(Optional.of(Cause.CONFIGURATION), FleetDiagnosis.classify(event("error",
			"InvalidParameterValue: Value (ecsInstanceRole) for parameter iamInstanceProfile.name is invalid")));
		assertEquals(Optional.empty(), FleetDiagnosis.classify(event("allLaunchSpecsTemporarilyBlacklisted", "")));
	}

	@Test
	void aConfigurationProblemWinsAndWaitingWillNotFixIt() {
		FleetDiagnosis d = FleetDiagnosis.of(List.of(event("launchSpecUnusable", "below the Spot price"),
			event("iamFleetRoleInvalid", "Spot Fleet does not have required permissions")), 0).orElseThrow();
		assertEquals(Cause.CONFIGURATION, d.cause());
		assertFalse(d.mayPass());
		String text = d.explain(MACHINES, "fleet.json");
		assertTrue(text.contains("configuration problem that waiting will not fix") && text.contains("of fleet.json"), text);
		assertTrue(text.endsWith("AWS said:\n  iamFleetRoleInvalid: Spot Fleet does not have required permissions"), text);
	}

	@Test
	void aCapacityProblemNamesTheTypesAndPriceToChange() {
		FleetDiagnosis d = FleetDiagnosis.of(List.of(event("launchSpecUnusable", "below the Spot price")), 0).orElseThrow();
		assertTrue(d.mayPass());
		String text = d.explain(MACHINES, "the config");
		assertTrue(text.contains("capacity problem, not a configuration mistake") && text.contains("now m5.xlarge, c5.xlarge")
			&& text.contains("higher MACHINE_PRICE (now $0.2 per machine-hour)"), text);
	}

	@Test
	void whenAwsOnlySaysItGaveUpRunningMachinesShowTheConfigurationWorks() {
		List<FleetEvent> gaveUp = List.of(event("allLaunchSpecsTemporarilyBlacklisted", ""));
		assertEquals(Cause.CAPACITY, FleetDiagnosis.of(gaveUp, 1).orElseThrow().cause());
		assertEquals(Cause.CONFIGURATION, FleetDiagnosis.of(gaveUp, 0).orElseThrow().cause());
		assertEquals(Optional.empty(), FleetDiagnosis.of(List.of(), 0));
	}
}
