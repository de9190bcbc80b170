package org.parascope.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.parascope.fleet.FleetState;

/**
 * A fleet start-fleet started, and where it left the run's state.
 *
 * @param dashboard the CloudWatch dashboard, when one was made
 * @param warnings  what did not go as it should without stopping the start
 */
public record FleetStarted(String fleetId, Kind kind, FleetState state, Path stateFile, Optional<String> dashboard,
	List<String> warnings) {

	public FleetStarted {
		warnings = List.copyOf(warnings);
	}

	/**
	 * The API the fleet was requested with.
	 *
	 * @param key   as the state file names it ("spot-fleet", "ec2-fleet")
	 * @param title for people ("Spot Fleet", "EC2 Fleet")
	 */
	public record Kind(String key, String title) {
		@Override
		public String toString() {
			return title;
		}
	}
}
