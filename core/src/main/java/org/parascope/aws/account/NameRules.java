package org.parascope.aws.account;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.parascope.ParascopeException;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;

/**
 * AWS's rules for the names Parascope gives resources, checked before anything is created so that a
 * bad setting is reported by its config key instead of failing half-way through.
 */
final class NameRules {

	private static final Pattern ECS_NAME = Pattern.compile("[A-Za-z0-9_-]{1,255}");
	private static final Pattern QUEUE = Pattern.compile("[A-Za-z0-9_-]{1,80}");
	/** The longest APP_NAME whose task role name (APP_NAME + "TaskRole") fits IAM's 64 characters. */
	private static final int APP_NAME_MAX = 64 - AccountRoles.TASK_ROLE_SUFFIX.length();
	private static final Pattern APP_NAME = Pattern.compile("[A-Za-z0-9_-]{1," + APP_NAME_MAX + "}");
	/** Log group names: up to 512 characters, of which "_perInstance" takes 12. */
	private static final Pattern LOG_GROUP = Pattern.compile("[A-Za-z0-9._/#-]{1,500}");
	private static final Pattern IMAGE = Pattern.compile("[A-Za-z0-9._/:@#-]{1,255}");
	private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

	private final Config config;
	private final List<String> problems = new ArrayList<>();

	private NameRules(Config config) {
		this.config = config;
	}

	/** What setup creates: queues, cluster, log groups, task definition, service; and the image. */
	static void checkSetup(Config config) {
		NameRules rules = new NameRules(config);
		rules.resourceNames();
		if (!config.has(ConfigKey.DOCKERHUB_TAG)) {
			rules.problems.add("DOCKERHUB_TAG is not set: it names the worker image the containers run");
		}
		else rules.match(ConfigKey.DOCKERHUB_TAG, IMAGE, "an image name such as repository/image:tag, "
			+ "up to 255 letters, digits and . _ / : @ # -");
		rules.throwIfAny();
	}

	/** What init-account's task role policy names: queues, log groups, buckets. */
	static void checkAccount(Config config) {
		NameRules rules = new NameRules(config);
		rules.resourceNames();
		rules.buckets();
		rules.throwIfAny();
	}

	/** The buckets a worker uses: SOURCE_, WORKSPACE_, DESTINATION_BUCKET and AWS_BUCKET. */
	static Set<String> buckets(Config config) {
		Set<String> buckets = new LinkedHashSet<>();
		for (ConfigKey key : List.of(ConfigKey.AWS_BUCKET, ConfigKey.SOURCE_BUCKET, ConfigKey.WORKSPACE_BUCKET,
			ConfigKey.DESTINATION_BUCKET)) {
			if (config.has(key)) buckets.add(config.string(key));
		}
		return buckets;
	}

	private void resourceNames() {
		match(ConfigKey.APP_NAME, APP_NAME, "1 to " + APP_NAME_MAX + " letters, digits, - and _ (it begins the "
			+ "names of the task definition, service and task role)");
		queue(ConfigKey.SQS_QUEUE_NAME);
		queue(ConfigKey.SQS_DEAD_LETTER_QUEUE);
		if (config.string(ConfigKey.SQS_QUEUE_NAME).equals(config.string(ConfigKey.SQS_DEAD_LETTER_QUEUE))) {
			problems.add("SQS_DEAD_LETTER_QUEUE must differ from SQS_QUEUE_NAME (both are '"
				+ config.string(ConfigKey.SQS_QUEUE_NAME) + "')");
		}
		match(ConfigKey.ECS_CLUSTER, ECS_NAME, "1 to 255 letters, digits, - and _");
		match(ConfigKey.LOG_GROUP_NAME, LOG_GROUP, "1 to 500 letters, digits and . _ / # -");
	}

	private void queue(ConfigKey key) {
		if (config.string(key).endsWith(".fifo")) {
			problems.add(key + ": FIFO queues ('" + config.string(key) + "') are not supported: tasks need no order; "
				+ "use a name without .fifo");
		}
		else match(key, QUEUE, "1 to 80 letters, digits, - and _");
	}

	private void buckets() {
		Set<String> buckets = buckets(config);
		if (buckets.isEmpty()) {
			problems.add("no bucket is set: set AWS_BUCKET (or SOURCE_BUCKET, WORKSPACE_BUCKET and DESTINATION_BUCKET); "
				+ "the task role grants access to exactly these buckets");
		}
		for (ConfigKey key : List.of(ConfigKey.AWS_BUCKET, ConfigKey.SOURCE_BUCKET, ConfigKey.WORKSPACE_BUCKET,
			ConfigKey.DESTINATION_BUCKET)) {
			if (config.has(key)) match(key, BUCKET, "a bucket name: 3 to 63 lower-case letters, digits, . and -");
		}
	}

	private void match(ConfigKey key, Pattern rule, String expected) {
		String value = config.string(key);
		if (!rule.matcher(value).matches()) problems.add(key + ": '" + value + "' is not accepted by AWS: expected " + expected);
	}

	private void throwIfAny() {
		if (problems.size() == 1) throw new ParascopeException(problems.get(0) + "; nothing was changed");
		if (!problems.isEmpty()) {
			throw new ParascopeException("settings AWS would reject; nothing was changed:\n  " + String.join("\n  ", problems));
		}
	}
}
