package org.parascope.aws.fleet;

import java.time.Instant;

import software.amazon.awssdk.services.ec2.model.EventInformation;

/**
 * One problem a fleet reported, e.g. subtype "launchSpecUnusable" with AWS's description.
 *
 * @param subtype AWS's event subtype (may be empty)
 * @param description AWS's text (may be empty)
 */
public record FleetEvent(Instant time, String subtype, String description) {

	static FleetEvent of(Instant time, EventInformation info) {
		return new FleetEvent(time, info == null || info.eventSubType() == null ? "" : info.eventSubType(),
			info == null || info.eventDescription() == null ? "" : info.eventDescription());
	}

	@Override
	public String toString() {
		return description.isEmpty() ? subtype : subtype.isEmpty() ? description : subtype + ": " + description;
	}
}
