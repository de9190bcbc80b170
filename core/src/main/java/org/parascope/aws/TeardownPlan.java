package org.parascope.aws;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.parascope.config.Config;
import org.parascope.config.ConfigKey;
import org.parascope.run.RunState;

/**
 * The resources of one run, as the teardown looks for them: the state file's names where it has
 * them (they are what start-fleet used, even if the config changed since), else the config's.
 *
 * @param fleetId   the Spot Fleet request or EC2 Fleet from the state file; empty without one, then
 *                  EC2 Fleets launched from the app's launch template are found by it
 * @param bucket    AWS_BUCKET, where logs are exported; empty when the config has none
 * @param logsFrom  the first time logs are exported from (the fleet's start; the epoch without a state file)
 */
public record TeardownPlan(String app, String cluster, String service, String taskFamily, String monitorFamily,
	String queue, String deadLetterQueue, Optional<String> fleetId, String launchTemplate, String dashboard,
	boolean cleanDashboard, List<String> logGroups, Optional<String> bucket, Instant logsFrom) {

	public static TeardownPlan of(Config config, Optional<RunState> state) {
		Names names = Names.of(config);
		String app = state.map(RunState::app).orElse(names.app());
		String logGroup = state.map(RunState::logGroup).orElse(names.logGroup());
		Optional<String> bucket = state.map(RunState::bucket)
			.or(() -> config.has(ConfigKey.AWS_BUCKET) ? Optional.of(config.string(ConfigKey.AWS_BUCKET)) : Optional.empty());
		return new TeardownPlan(app, state.map(RunState::cluster).orElse(names.cluster()), app + "Service", app + "Task",
			Names.monitorFamily(app), state.map(RunState::queue).orElse(names.queue()), names.deadLetterQueue(),
			state.map(RunState::fleetId), app + "LaunchTemplate", app,
			state.map(RunState::cleanDashboard).orElse(config.bool(ConfigKey.CLEAN_DASHBOARD)),
			List.of(logGroup, logGroup + "_perInstance"), bucket, state.map(RunState::startTime).orElse(Instant.EPOCH));
	}
}
