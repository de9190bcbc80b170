package org.parascope.aws.account;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.parascope.ParascopeException;
import org.parascope.aws.AwsClients;
import org.parascope.aws.AwsErrors;
import org.parascope.aws.Names;
import org.parascope.aws.Poll;
import org.parascope.aws.ecs.TaskDefinitionSpec;
import org.parascope.aws.ecs.WorkerService;
import org.parascope.aws.store.UploadFlags;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;
import org.parascope.progress.Durations;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * {@code parascope setup}: the resources one app's runs use, created or brought up to date from the
 * config. Every name is checked first, so a bad setting changes nothing. Running it again changes
 * nothing and says so; a changed setting is applied to what exists.
 */
public final class Setup {

	private static final JsonMapper JSON = new JsonMapper();

	/** Queues keep messages the longest SQS allows: 14 days. */
	static final int RETENTION_SECONDS = 14 * 24 * 3600;
	/** How long log groups keep their events, as Distributed-CellProfiler sets it. */
	static final int LOG_RETENTION_DAYS = 60;
	private static final Duration CLUSTER_WAIT = Duration.ofMinutes(2);

	private final Config config;
	private final AwsClients aws;
	private final Names names;

	public Setup(Config config, AwsClients aws) {
		this.config = config;
		this.aws = aws;
		this.names = Names.of(config);
	}

	/** One line per resource: "created", "unchanged" or "updated: what changed". */
	public List<String> run() {
		// Everything that can refuse is asked before the first resource is created.
		NameRules.checkSetup(config);
		TaskDefinitionSpec.environment(config);
		UploadFlags.parse(config.string(ConfigKey.UPLOAD_FLAGS)); // workers would refuse to start on a bad one
		String taskRole = taskRoleArn();
		List<String> lines = new ArrayList<>();
		String deadLetterArn = ensureQueue(names.deadLetterQueue(),
			Map.of(QueueAttributeName.MESSAGE_RETENTION_PERIOD, Integer.toString(RETENTION_SECONDS)), lines);
		ensureQueue(names.queue(), Map.of(QueueAttributeName.MESSAGE_RETENTION_PERIOD, Integer.toString(RETENTION_SECONDS),
			QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(config.integer(ConfigKey.SQS_MESSAGE_VISIBILITY)),
			QueueAttributeName.REDRIVE_POLICY, JSON.createObjectNode().put("deadLetterTargetArn", deadLetterArn)
				.put("maxReceiveCount", config.integer(ConfigKey.JOB_RETRIES)).toString()), lines);
		lines.add(ensureLogGroup(names.logGroup()));
		lines.add(ensureLogGroup(names.instanceLogGroup()));
		lines.add(ensureCluster());
		String taskDefinition = ensureTaskDefinition(taskRole, lines);
		lines.add(ensureService(taskDefinition));
		return lines;
	}

	private String taskRoleArn() {
		String name = AccountRoles.taskRole(config);
		return call("reading IAM role " + name, () -> {
			try {
				return aws.iam().getRole(b -> b.roleName(name)).role().arn();
			}
			catch (NoSuchEntityException e) {
				throw new ParascopeException("IAM role " + name + " not found: run 'parascope init-account' first (it creates "
					+ "the role the worker containers act as); nothing was changed");
			}
		});
	}

	/** Creates the queue or sets the attributes that differ; returns its ARN. */
	private String ensureQueue(String name, Map<QueueAttributeName, String> wanted, List<String> lines) {
		SqsClient sqs = aws.sqs();
		return call("setting up queue " + name, () -> {
			Optional<String> url = queueUrl(name);
			String queueUrl;
			if (url.isEmpty()) {
				queueUrl = sqs.createQueue(b -> b.queueName(name).attributes(wanted)).queueUrl();
				lines.add("queue " + name + ": created");
			}
			else {
				queueUrl = url.get();
				Map<QueueAttributeName, String> current = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
					.attributeNames(QueueAttributeName.ALL)).attributes();
				Map<QueueAttributeName, String> changed = new EnumMap<>(QueueAttributeName.class);
				List<String> said = new ArrayList<>();
				wanted.forEach((attribute, value) -> {
					String was = current.get(attribute);
					if (!sameAttribute(attribute, was, value)) {
						changed.put(attribute, value);
						said.add(describeChange(attribute, was, value));
					}
				});
				if (changed.isEmpty()) lines.add("queue " + name + ": unchanged");
				else {
					sqs.setQueueAttributes(b -> b.queueUrl(queueUrl).attributes(changed));
					lines.add("queue " + name + ": updated: " + String.join(", ", said));
				}
			}
			return sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
				.attributes().get(QueueAttributeName.QUEUE_ARN);
		});
	}

	private Optional<String> queueUrl(String name) {
		try {
			return Optional.of(aws.sqs().getQueueUrl(b -> b.queueName(name)).queueUrl());
		}
		catch (SqsException e) {
			// The SDK may throw a plain SqsException carrying the query-compatible code (it does against
			// the emulator, which sends both that code and the JSON one).
			boolean missing = e instanceof QueueDoesNotExistException || e.awsErrorDetails() != null
				&& "AWS.SimpleQueueService.NonExistentQueue".equals(e.awsErrorDetails().errorCode());
			if (missing) return Optional.empty();
			throw e;
		}
	}

	/** Redrive policies are JSON whose maxReceiveCount AWS may write as a number or a string. */
	private static boolean sameAttribute(QueueAttributeName attribute, String was, String wanted) {
		if (was == null) return false;
		if (attribute != QueueAttributeName.REDRIVE_POLICY) return was.equals(wanted);
		JsonNode a = json(was), b = json(wanted);
		return a.path("deadLetterTargetArn").asText().equals(b.path("deadLetterTargetArn").asText())
			&& a.path("maxReceiveCount").asInt() == b.path("maxReceiveCount").asInt();
	}

	private static String describeChange(QueueAttributeName attribute, String was, String wanted) {
		return switch (attribute) {
			case VISIBILITY_TIMEOUT -> "visibility " + was + " s -> " + wanted + " s";
			case MESSAGE_RETENTION_PERIOD -> "retention " + duration(was) + " -> " + duration(wanted);
			default -> {
				if (was == null) yield "dead-letter queue " + queueName(wanted) + " after " + json(wanted).path("maxReceiveCount").asInt()
					+ " receives (was none)";
				List<String> parts = new ArrayList<>();
				if (!queueName(was).equals(queueName(wanted))) parts.add("dead-letter queue " + queueName(was) + " -> " + queueName(wanted));
				int before = json(was).path("maxReceiveCount").asInt(), after = json(wanted).path("maxReceiveCount").asInt();
				if (before != after) parts.add("receives before dead-letter " + before + " -> " + after);
				yield String.join(", ", parts);
			}
		};
	}

	private static String duration(String seconds) {
		if (seconds == null) return "(none)";
		int s = Integer.parseInt(seconds);
		return Durations.readable(Duration.ofSeconds(s));
	}

	private static String queueName(String redrivePolicy) {
		String arn = json(redrivePolicy).path("deadLetterTargetArn").asText();
		return arn.substring(arn.lastIndexOf(':') + 1);
	}

	private static JsonNode json(String text) {
		try {
			return JSON.readTree(text);
		}
		catch (JsonProcessingException e) {
			throw new ParascopeException("SQS returned a redrive policy that is not JSON: " + text);
		}
	}

	private String ensureLogGroup(String name) {
		CloudWatchLogsClient logs = aws.logs();
		return call("setting up log group " + name, () -> {
			Optional<LogGroup> existing = logs.describeLogGroupsPaginator(b -> b.logGroupNamePrefix(name)).logGroups()
				.stream().filter(g -> g.logGroupName().equals(name)).findFirst();
			if (existing.isEmpty()) logs.createLogGroup(b -> b.logGroupName(name));
			Integer was = existing.map(LogGroup::retentionInDays).orElse(null);
			if (existing.isPresent() && Integer.valueOf(LOG_RETENTION_DAYS).equals(was)) return "log group " + name + ": unchanged";
			logs.putRetentionPolicy(b -> b.logGroupName(name).retentionInDays(LOG_RETENTION_DAYS));
			return "log group " + name + ": " + (existing.isEmpty() ? "created"
				: "updated: retention " + (was == null ? "never expires" : was + " days") + " -> " + LOG_RETENTION_DAYS + " days");
		});
	}

	private String ensureCluster() {
		EcsClient ecs = aws.ecs();
		String name = names.cluster();
		return call("setting up cluster " + name, () -> {
			if (clusterStatus(name).filter("ACTIVE"::equals).isPresent()) return "cluster " + name + ": unchanged";
			ecs.createCluster(b -> b.clusterName(name));
			// A service can be created only in an active cluster.
			waitFor("cluster " + name + " to become active", CLUSTER_WAIT,
				() -> clusterStatus(name).filter("ACTIVE"::equals).isPresent());
			return "cluster " + name + ": created";
		});
	}

	private Optional<String> clusterStatus(String name) {
		return aws.ecs().describeClusters(b -> b.clusters(name)).clusters().stream().findFirst().map(Cluster::status);
	}

	/** Registers a revision only if the latest active one differs; returns the ARN to run. */
	private String ensureTaskDefinition(String taskRole, List<String> lines) {
		EcsClient ecs = aws.ecs();
		String family = names.taskFamily();
		RegisterTaskDefinitionRequest wanted = TaskDefinitionSpec.request(config, names, aws.region().id(), taskRole);
		return call("setting up task definition " + family, () -> {
			Optional<TaskDefinition> latest = latestActive(family);
			List<String> changes = latest.map(td -> TaskDefinitionSpec.differences(TaskDefinitionSpec.fields(td),
				TaskDefinitionSpec.fields(wanted))).orElse(List.of());
			if (latest.isPresent() && changes.isEmpty()) {
				lines.add("task definition " + family + ": unchanged (revision " + latest.get().revision() + ")");
				return latest.get().taskDefinitionArn();
			}
			TaskDefinition registered = ecs.registerTaskDefinition(wanted).taskDefinition();
			lines.add("task definition " + family + ": " + (latest.isEmpty() ? "created"
				: "updated: " + String.join(", ", changes)) + " (revision " + registered.revision() + ")");
			return registered.taskDefinitionArn();
		});
	}

	/** The newest ACTIVE revision of the family; a deregistered newer one does not count. */
	private Optional<TaskDefinition> latestActive(String family) {
		EcsClient ecs = aws.ecs();
		return ecs.listTaskDefinitionsPaginator(b -> b.familyPrefix(family).status(TaskDefinitionStatus.ACTIVE))
			.taskDefinitionArns().stream()
			.filter(arn -> arn.substring(arn.lastIndexOf('/') + 1, arn.lastIndexOf(':')).equals(family))
			.max(Comparator.comparingInt(arn -> Integer.parseInt(arn.substring(arn.lastIndexOf(':') + 1))))
			.map(arn -> ecs.describeTaskDefinition(b -> b.taskDefinition(arn)).taskDefinition());
	}

	private String ensureService(String taskDefinition) {
		String name = names.service();
		return call("setting up service " + name, () -> new WorkerService(aws.ecs(), names.cluster(), name).ensure(taskDefinition));
	}

	/** Polls a condition with growing pauses until it holds or the timeout passes. */
	private static void waitFor(String what, Duration timeout, BooleanSupplier condition) {
		Poll poll = new Poll(timeout);
		while (!condition.getAsBoolean()) {
			if (!poll.another()) throw new ParascopeException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
		}
	}

	private static <T> T call(String doing, Supplier<T> action) {
		try {
			return action.get();
		}
		catch (SdkException e) {
			throw AwsErrors.failure(doing, e);
		}
	}
}
