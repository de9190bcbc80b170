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

	/** The role of the fleet's EC2 instances: join the ECS cluster, pull images, send container logs. Shared by apps. */
	public static final String INSTANCE_ROLE = "ParascopeEcsInstanceRole";
	/** The instance profile that gives {@link #INSTANCE_ROLE} to instances (same name; DCP's setup_AWS.py names it the same). */
	public static final String INSTANCE_PROFILE = INSTANCE_ROLE;

	/** The task definition family of the app's detached monitor. */
	public static String monitorFamily(String app) {
		return app + "Monitor";
	}

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
