package org.parascope.aws.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parascope.config.ConfigKey.*;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.parascope.Parascope;
import org.parascope.ParascopeException;
import org.parascope.aws.AwsClients;
import org.parascope.aws.MotoServer;
import org.parascope.config.Config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** parascope setup against the emulator: what it creates, that a second run changes nothing, what it refuses. */
@ExtendWith(MotoServer.class)
class SetupTest {

	static final String IMAGE = "cellprofiler/distributed-cellprofiler:2.0.0_4.2.1";

	private AwsClients aws;

	static Config config() {
		return Config.defaults().with(APP_NAME, "Cells").with(DOCKERHUB_TAG, IMAGE).with(AWS_BUCKET, "cells-data")
			.with(ECS_CLUSTER, "cells").with(JOB_RETRIES, 3).with(SQS_MESSAGE_VISIBILITY, 120).with(MEMORY, 8000);
	}

	private List<String> setup(Config config) {
		try (Parascope p = new Parascope(config, clients(config))) {
			return p.setup();
		}
	}

	private List<String> initAccount(Config config) {
		try (Parascope p = new Parascope(config, clients(config))) {
			return p.initAccount();
		}
	}

	private static AwsClients clients(Config config) {
		return new AwsClients(config, null, MotoServer.env());
	}

	private AwsClients aws() {
		if (aws == null) aws = clients(config());
		return aws;
	}

	@AfterEach
	void close() {
		if (aws != null) aws.close();
	}

	@Test
	void createsQueuesLogGroupsClusterTaskDefinitionAndServiceFromTheConfig() throws Exception {
		initAccount(config());
		List<String> lines = setup(config());
		assertEquals(List.of("queue CellsDeadMessages: created", "queue CellsQueue: created", "log group Cells: created",
			"log group Cells_perInstance: created", "cluster cells: created", "task definition CellsTask: created (revision 1)",
			"service CellsService: created (desired count 0, CellsTask:1)"), lines);

		Map<QueueAttributeName, String> queue = queueAttributes("CellsQueue");
		assertEquals("1209600", queue.get(QueueAttributeName.MESSAGE_RETENTION_PERIOD));
		assertEquals("120", queue.get(QueueAttributeName.VISIBILITY_TIMEOUT));
		JsonNode redrive = JsonMapper.builder().build().readTree(queue.get(QueueAttributeName.REDRIVE_POLICY));
		assertEquals(queueAttributes("CellsDeadMessages").get(QueueAttributeName.QUEUE_ARN), redrive.get("deadLetterTargetArn").asText());
		assertEquals(3, redrive.get("maxReceiveCount").asInt());
		assertEquals("1209600", queueAttributes("CellsDeadMessages").get(QueueAttributeName.MESSAGE_RETENTION_PERIOD));

		assertEquals(Map.of("Cells", 60, "Cells_perInstance", 60), logGroups());
		assertEquals("ACTIVE", aws().ecs().describeClusters(b -> b.clusters("cells")).clusters().get(0).status());

		TaskDefinition td = aws().ecs().describeTaskDefinition(b -> b.taskDefinition("CellsTask")).taskDefinition();
		ContainerDefinition c = td.containerDefinitions().get(0);
		assertEquals(IMAGE, c.image());
		assertEquals(4096, c.cpu());
		assertEquals(8000, c.memory());
		assertEquals(Map.of("awslogs-group", "Cells_perInstance", "awslogs-region", "us-east-1", "awslogs-stream-prefix", "Cells"),
			c.logConfiguration().options());
		assertEquals("awslogs", c.logConfiguration().logDriverAsString());
		assertEquals(aws().iam().getRole(b -> b.roleName("CellsTaskRole")).role().arn(), td.taskRoleArn());
		Map<String, String> env = environment(c);
		assertEquals("CellsQueue", env.get("SQS_QUEUE_NAME"));
		assertEquals("cells-data", env.get("DESTINATION_BUCKET"));
		assertEquals("3", env.get("JOB_RETRIES"));
		// The settings read back from the environment are the settings written.
		assertEquals(config().asEnvironment().entrySet().stream().filter(e -> !e.getKey().equals("AWS_PROFILE"))
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), env);

		Service service = service();
		assertEquals(0, service.desiredCount());
		assertEquals("EC2", service.launchTypeAsString());
		assertEquals(td.taskDefinitionArn(), service.taskDefinition());
	}

	@Test
	void aSecondRunChangesNothingAndSaysSo() {
		initAccount(config());
		setup(config());
		String before = state();
		List<String> lines = setup(config());
		assertEquals(7, lines.size());
		lines.forEach(line -> assertTrue(line.matches("[^:]+: unchanged( \\(revision 1\\))?"), line));
		assertEquals(before, state());
	}

	@Test
	void aChangedSettingIsAppliedToWhatExists() {
		initAccount(config());
		setup(config().with(SQS_MESSAGE_VISIBILITY, 60));
		List<String> lines = setup(config());
		assertTrue(lines.contains("queue CellsQueue: updated: visibility 60 s -> 120 s"), lines.toString());
		assertEquals("120", queueAttributes("CellsQueue").get(QueueAttributeName.VISIBILITY_TIMEOUT));
		assertTrue(lines.contains("task definition CellsTask: updated: environment SQS_MESSAGE_VISIBILITY 60 -> 120 (revision 2)"),
			lines.toString());
		assertTrue(lines.contains("service CellsService: updated: task definition CellsTask:1 -> CellsTask:2"), lines.toString());
		assertTrue(service().taskDefinition().endsWith("/CellsTask:2"));

		List<String> more = setup(config().with(JOB_RETRIES, 5).with(DOCKERHUB_TAG, "me/worker:2"));
		assertTrue(more.contains("queue CellsQueue: updated: receives before dead-letter 3 -> 5"), more.toString());
		assertTrue(more.contains("task definition CellsTask: updated: image " + IMAGE + " -> me/worker:2, "
			+ "environment DOCKERHUB_TAG " + IMAGE + " -> me/worker:2, environment JOB_RETRIES 3 -> 5 (revision 3)"), more.toString());
	}

	@Test
	void afterTheTaskDefinitionsAreDeregisteredSetupRegistersAFreshRevision() {
		initAccount(config());
		setup(config());
		// What teardown does: the emulator still describes a deregistered revision by its family.
		aws().ecs().deregisterTaskDefinition(b -> b.taskDefinition("CellsTask:1"));
		List<String> lines = setup(config());
		assertTrue(lines.contains("task definition CellsTask: created (revision 2)"), lines.toString());
		assertTrue(lines.contains("service CellsService: updated: task definition CellsTask:1 -> CellsTask:2"), lines.toString());
	}

	@Test
	void settingsAwsWouldRejectAreNamedByKeyAndNothingIsCreated() {
		initAccount(config());
		String before = state();
		var e = assertThrows(ParascopeException.class, () -> setup(config().with(SQS_QUEUE_NAME, "cells queue")));
		assertTrue(e.getMessage().startsWith("SQS_QUEUE_NAME: 'cells queue' is not accepted by AWS"), e.getMessage());
		e = assertThrows(ParascopeException.class, () -> setup(config().with(SQS_QUEUE_NAME, "Cells.fifo")));
		assertTrue(e.getMessage().contains("SQS_QUEUE_NAME: FIFO queues ('Cells.fifo') are not supported"), e.getMessage());
		e = assertThrows(ParascopeException.class, () -> setup(config().with(ECS_CLUSTER, "my/cluster").with(APP_NAME, "a b")));
		assertTrue(e.getMessage().contains("ECS_CLUSTER: 'my/cluster'") && e.getMessage().contains("APP_NAME: 'a b'"), e.getMessage());
		e = assertThrows(ParascopeException.class, () -> setup(config().with(SQS_QUEUE_NAME, "x".repeat(81))));
		assertTrue(e.getMessage().startsWith("SQS_QUEUE_NAME:"), e.getMessage());
		e = assertThrows(ParascopeException.class, () -> setup(config().with(DOCKERHUB_TAG, null)));
		assertTrue(e.getMessage().startsWith("DOCKERHUB_TAG is not set"), e.getMessage());
		assertEquals(before, state());
	}

	@Test
	void withoutTheTaskRoleSetupAsksForInitAccountAndCreatesNothing() {
		String before = state();
		var e = assertThrows(ParascopeException.class, () -> setup(config()));
		assertTrue(e.getMessage().contains("IAM role CellsTaskRole not found: run 'parascope init-account' first"), e.getMessage());
		assertEquals(before, state());
	}

	@Test
	void aSettingThatLooksLikeAnAccessKeyStopsSetup() {
		initAccount(config());
		String before = state();
		for (String flags : List.of("--key AKIAIOSFODNN7EXAMPLE", "--secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")) {
			var e = assertThrows(ParascopeException.class, () -> setup(config().with(UPLOAD_FLAGS, flags)));
			assertTrue(e.getMessage().startsWith("UPLOAD_FLAGS holds what looks like an AWS access key"), e.getMessage());
		}
		assertEquals(before, state());
		// Not a key: a commit id in a URL.
		setup(config().with(SCRIPT_DOWNLOAD_URL,
			"https://raw.githubusercontent.com/o/r/0123456789abcdef0123456789abcdef01234567/Macro.ijm"));
	}

	@Test
	void theStateSnapshotSeesAChange() {
		initAccount(config());
		setup(config());
		String before = state();
		aws().logs().putRetentionPolicy(b -> b.logGroupName("Cells").retentionInDays(30));
		assertFalse(before.equals(state()));
		assertTrue(setup(config()).contains("log group Cells: updated: retention 30 days -> 60 days"));
	}

	private Map<QueueAttributeName, String> queueAttributes(String name) {
		String url = aws().sqs().getQueueUrl(b -> b.queueName(name)).queueUrl();
		return aws().sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL)).attributes();
	}

	private Map<String, Integer> logGroups() {
		Map<String, Integer> groups = new TreeMap<>();
		aws().logs().describeLogGroups().logGroups().forEach(g -> groups.put(g.logGroupName(), g.retentionInDays()));
		return groups;
	}

	private Service service() {
		return aws().ecs().describeServices(b -> b.cluster("cells").services("CellsService")).services().get(0);
	}

	private static Map<String, String> environment(ContainerDefinition c) {
		return c.environment().stream().collect(Collectors.toMap(KeyValuePair::name, KeyValuePair::value));
	}

	/** Everything setup may touch, with modification times, as text to compare. */
	private String state() {
		StringBuilder s = new StringBuilder();
		for (String url : aws().sqs().listQueues().queueUrls()) {
			s.append(url).append(new TreeMap<>(aws().sqs().getQueueAttributes(b -> b.queueUrl(url)
				.attributeNames(QueueAttributeName.ALL)).attributesAsStrings())).append('\n');
		}
		s.append(logGroups()).append('\n');
		List<String> clusters = aws().ecs().listClusters().clusterArns();
		s.append(clusters).append('\n');
		s.append(aws().ecs().listTaskDefinitions().taskDefinitionArns()).append('\n');
		for (String cluster : clusters) {
			List<String> services = aws().ecs().listServices(l -> l.cluster(cluster)).serviceArns();
			if (services.isEmpty()) continue;
			aws().ecs().describeServices(b -> b.cluster(cluster).services(services)).services()
				.forEach(svc -> s.append(svc.serviceName()).append(' ').append(svc.taskDefinition()).append(' ')
					.append(svc.desiredCount()).append('\n'));
		}
		return s.toString();
	}
}
