package org.parascope.aws;

import java.nio.file.Path;

import org.parascope.config.Config;
import org.parascope.config.ConfigKey;

/**
 * The names of one application's AWS resources, derived from the config exactly as
 * Distributed-CellProfiler derives them, so that Parascope finds resources DCP created and the
 * other way round.
 */
public record Names(String app, String queue, String deadLetterQueue, String cluster, String service,
	String taskFamily, String logGroup, String instanceLogGroup, String dashboard, String launchTemplate) {

	public static Names of(Config config) {
		String app = config.string(ConfigKey.APP_NAME);
		String logGroup = config.string(ConfigKey.LOG_GROUP_NAME);
		return new Names(app, config.string(ConfigKey.SQS_QUEUE_NAME),
			config.string(ConfigKey.SQS_DEAD_LETTER_QUEUE),
			config.string(ConfigKey.ECS_CLUSTER), app + "Service", app + "Task", logGroup,
			logGroup + "_perInstance", app, app + "LaunchTemplate");
	}

	/** Where start-fleet writes the run's state and monitor reads it: DCP's monitor file. */
	public Path stateFile(Path dir) {
		return dir.resolve("files").resolve(app + "SpotFleetRequestId.json");
	}
}
