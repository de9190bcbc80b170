package org.parascope.aws.ecs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.parascope.ParascopeException;
import org.parascope.aws.Names;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;

import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * The worker task definition: one privileged container (it mounts buckets) running DOCKERHUB_TAG
 * with CPU_SHARES and MEMORY, its output sent to the per-instance log group, the settings as its
 * environment, the task role for credentials, and the longest stop timeout ECS allows, so that a
 * stopped worker's tasks in hand can finish (parascope worker --grace). Also says what differs between two revisions, so
 * that setup registers a new one only when something changed.
 */
public final class TaskDefinitionSpec {

	/** AWS access key ids: long-term (AKIA) and temporary (ASIA). */
	private static final Pattern ACCESS_KEY_ID = Pattern.compile("(AKIA|ASIA)[A-Z0-9]{16}");
	/** A secret access key: 40 base64 characters standing alone (and mixing cases and digits). */
	private static final Pattern SECRET_KEY = Pattern.compile("(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])");

	/** Seconds between SIGTERM and SIGKILL when ECS stops the container: the most ECS allows. */
	static final int STOP_TIMEOUT_SECONDS = 120;

	private TaskDefinitionSpec() {}

	public static RegisterTaskDefinitionRequest request(Config config, Names names, String region, String taskRoleArn) {
		ContainerDefinition container = ContainerDefinition.builder().name(names.app())
			.image(config.string(ConfigKey.DOCKERHUB_TAG)).cpu(config.integer(ConfigKey.CPU_SHARES))
			.memory(config.integer(ConfigKey.MEMORY)).essential(true).privileged(true).stopTimeout(STOP_TIMEOUT_SECONDS)
			.environment(environment(config).entrySet().stream()
				.map(e -> KeyValuePair.builder().name(e.getKey()).value(e.getValue()).build()).toList())
			.logConfiguration(l -> l.logDriver(LogDriver.AWSLOGS).options(Map.of("awslogs-group", names.instanceLogGroup(),
				"awslogs-region", region, "awslogs-stream-prefix", names.app())))
			.build();
		return RegisterTaskDefinitionRequest.builder().family(names.taskFamily()).taskRoleArn(taskRoleArn)
			.requiresCompatibilities(Compatibility.EC2).containerDefinitions(container).build();
	}

	/**
	 * The settings as the containers' environment. AWS_PROFILE is left out: containers get their
	 * credentials from the task role, and a profile name would send the SDK looking for a file they
	 * do not have. A value that looks like an AWS key stops setup: keys never go into a task definition.
	 */
	public static Map<String, String> environment(Config config) {
		Map<String, String> env = new LinkedHashMap<>(config.asEnvironment());
		env.remove(ConfigKey.AWS_PROFILE.name());
		env.forEach((key, value) -> {
			if (looksLikeKey(value)) {
				throw new ParascopeException(key + " holds what looks like an AWS access key. Settings become the worker "
					+ "containers' environment, visible to anyone who can read the task definition, so keys never go there: "
					+ "containers get credentials from the task role. Remove the key from " + key + "; nothing was changed");
			}
		});
		return env;
	}

	private static boolean looksLikeKey(String value) {
		if (ACCESS_KEY_ID.matcher(value).find()) return true;
		var m = SECRET_KEY.matcher(value);
		while (m.find()) {
			String t = m.group();
			if (t.chars().anyMatch(Character::isLowerCase) && t.chars().anyMatch(Character::isUpperCase)
				&& t.chars().anyMatch(Character::isDigit)) return true;
		}
		return false;
	}

	/** The fields setup sets, by a name people read, from a registered task definition. */
	public static Map<String, String> fields(TaskDefinition td) {
		return fields(td.taskRoleArn(), td.requiresCompatibilitiesAsStrings(), td.containerDefinitions());
	}

	public static Map<String, String> fields(RegisterTaskDefinitionRequest request) {
		return fields(request.taskRoleArn(), request.requiresCompatibilitiesAsStrings(), request.containerDefinitions());
	}

	private static Map<String, String> fields(String taskRole, List<String> launchTypes, List<ContainerDefinition> containers) {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("task role", taskRole);
		fields.put("launch type", String.join(",", new TreeSet<>(launchTypes)));
		fields.put("containers", String.join(",", containers.stream().map(ContainerDefinition::name).toList()));
		if (containers.size() != 1) return fields;
		ContainerDefinition c = containers.get(0);
		fields.put("image", c.image());
		fields.put("cpu", Objects.toString(c.cpu(), null));
		fields.put("memory", Objects.toString(c.memory(), null));
		fields.put("privileged", Objects.toString(c.privileged(), null));
		fields.put("stop timeout", Objects.toString(c.stopTimeout(), null));
		fields.put("log driver", c.logConfiguration() == null ? null : c.logConfiguration().logDriverAsString());
		fields.put("log options", c.logConfiguration() == null ? null : new TreeMap<>(c.logConfiguration().options()).toString());
		for (KeyValuePair e : c.environment()) fields.put("environment " + e.name(), e.value());
		return fields;
	}

	/** What changed, e.g. "memory 15000 -> 8000"; empty if nothing did. */
	public static List<String> differences(Map<String, String> before, Map<String, String> after) {
		List<String> changes = new ArrayList<>();
		Map<String, String> all = new LinkedHashMap<>(after);
		before.forEach(all::putIfAbsent);
		all.keySet().forEach(field -> {
			String old = before.get(field), now = after.get(field);
			if (!Objects.equals(old, now)) changes.add(field + " " + shown(old) + " -> " + shown(now));
		});
		return changes;
	}

	private static String shown(String value) {
		return value == null ? "(none)" : value.isEmpty() ? "''" : value;
	}
}
