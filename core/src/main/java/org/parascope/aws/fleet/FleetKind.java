package org.parascope.aws.fleet;

import java.util.Arrays;
import java.util.Optional;

/** The two EC2 APIs a fleet of spot machines is requested with; the id's prefix tells them apart. */
public enum FleetKind {
	/** RequestSpotFleet: what DCP and DF use, and what a fleet file describes (AWS calls it legacy). */
	SPOT_FLEET("sfr-", "spot-fleet", "Spot Fleet"),
	/** CreateFleet of type maintain: Spot Fleet's successor, used when no fleet file is given. */
	EC2_FLEET("fleet-", "ec2-fleet", "EC2 Fleet");

	private final String idPrefix;
	private final String key;
	private final String title;

	FleetKind(String idPrefix, String key, String title) {
		this.idPrefix = idPrefix;
		this.key = key;
		this.title = title;
	}

	/** How the state file names the kind. */
	public String key() {
		return key;
	}

	@Override
	public String toString() {
		return title;
	}

	/** The kind of a fleet id: sfr-... or fleet-... */
	public static Optional<FleetKind> ofId(String fleetId) {
		return Arrays.stream(values()).filter(k -> fleetId.startsWith(k.idPrefix)).findFirst();
	}
}
