package org.parascope.aws.fleet;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

import org.parascope.ParascopeException;

/**
 * The boot script of every machine: it tells the ECS agent of the ECS-optimized image which cluster
 * to join, and to drain the machine on a spot interruption notice (ECS then stops its containers
 * with SIGTERM, and their workers hand their tasks back; the containers cannot read the notice
 * themselves, as the metadata hop limit is 1). Written into the instance's own config file, so no S3 object is needed (DCP uploaded one
 * and had each machine install the AWS CLI to fetch it).
 */
final class UserData {

	/** ECS's own rule for cluster names; it also keeps the name a plain word inside the script. */
	private static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9_-]{1,255}");

	private UserData() {}

	/** The script, base64-encoded as launch templates want it. */
	static String joining(String cluster) {
		if (!CLUSTER_NAME.matcher(cluster).matches()) {
			throw new ParascopeException("ECS_CLUSTER: '" + cluster + "' is not a valid ECS cluster name "
				+ "(letters, digits, - and _, at most 255)");
		}
		String script = "#!/bin/bash\n"
			+ "cat >> /etc/ecs/ecs.config <<'EOF'\n"
			+ "ECS_CLUSTER=" + cluster + "\n"
			+ "ECS_AVAILABLE_LOGGING_DRIVERS=[\"json-file\",\"awslogs\"]\n"
			+ "ECS_ENABLE_SPOT_INSTANCE_DRAINING=true\n"
			+ "EOF\n";
		return Base64.getEncoder().encodeToString(script.getBytes(StandardCharsets.UTF_8));
	}
}
