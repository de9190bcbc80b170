package org.parascope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.aws.AwsClients;
import org.parascope.aws.MotoServer;
import org.parascope.config.Config;

import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/** 'parascope init-account' and 'parascope setup' as a Distributed-CellProfiler user runs them, with their config.py. */
@ExtendWith(MotoServer.class)
class SetupCommandTest {

	/** The parts of Distributed-CellProfiler's config.py that setup reads. */
	static final String CONFIG_PY = """
		APP_NAME = 'PlateRun'
		DOCKERHUB_TAG = 'cellprofiler/distributed-cellprofiler:2.0.0_4.2.1'
		AWS_REGION = 'us-east-1'
		AWS_PROFILE = 'default'
		AWS_BUCKET = 'lab-bucket'
		SOURCE_BUCKET = 'lab-bucket'
		WORKSPACE_BUCKET = 'lab-bucket'
		DESTINATION_BUCKET = 'lab-bucket'
		ECS_CLUSTER = 'default'
		DOCKER_CORES = 4
		CPU_SHARES = DOCKER_CORES * 1024
		MEMORY = 15000
		SQS_QUEUE_NAME = APP_NAME + 'Queue'
		SQS_MESSAGE_VISIBILITY = 1*60
		SQS_DEAD_LETTER_QUEUE = 'arn:aws:sqs:us-east-1:123456789012:PlateRunDeadMessages'
		JOB_RETRIES = 3
		LOG_GROUP_NAME = APP_NAME
		""";

	@TempDir
	Path dir;

	private String config(String text) throws Exception {
		return Files.writeString(dir.resolve("config.py"), text).toString();
	}

	@Test
	void initAccountThenSetupTwiceThenDestroy() throws Exception {
		String config = config(CONFIG_PY);
		Outcome init = Outcome.run(MotoServer.env(), "--config", config, "init-account");
		assertEquals(0, init.exit(), init.err());
		assertEquals(4, init.lines().size(), init.out());
		assertTrue(init.out().contains("role PlateRunTaskRole: created (arn:aws:iam::"), init.out());

		Outcome first = Outcome.run(MotoServer.env(), "--config", config, "setup");
		assertEquals(0, first.exit(), first.err());
		assertEquals(List.of("queue PlateRunDeadMessages: created", "queue PlateRunQueue: created", "log group PlateRun: created",
			"log group PlateRun_perInstance: created", "cluster default: created", "task definition PlateRunTask: created (revision 1)",
			"service PlateRunService: created (desired count 0, PlateRunTask:1)"), first.lines());

		Outcome second = Outcome.run(MotoServer.env(), "--config", config, "setup");
		assertEquals(0, second.exit(), second.err());
		assertEquals(7, second.lines().size());
		second.lines().forEach(line -> assertTrue(line.contains(": unchanged"), line));

		Outcome destroy = Outcome.run(MotoServer.env(), "--config", config, "init-account", "--destroy");
		assertEquals(0, destroy.exit(), destroy.err());
		assertTrue(destroy.out().contains("role PlateRunTaskRole: deleted"), destroy.out());
	}

	@Test
	void credentialsInTheEnvironmentNeverReachTheTaskDefinition() throws Exception {
		String config = config(CONFIG_PY);
		Map<String, String> env = new HashMap<>(MotoServer.env());
		env.put("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE");
		env.put("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
		env.put("AWS_SESSION_TOKEN", "FwoGZXIvYXdzEXAMPLESESSIONTOKEN");
		env.put("AWS_PROFILE", "lab");
		assertEquals(0, Outcome.run(env, "--config", config, "init-account").exit());
		Outcome setup = Outcome.run(env, "--config", config, "setup");
		assertEquals(0, setup.exit(), setup.err());

		try (AwsClients aws = new AwsClients(Config.defaults(), null, MotoServer.env())) {
			TaskDefinition td = aws.ecs().describeTaskDefinition(b -> b.taskDefinition("PlateRunTask")).taskDefinition();
			String everything = td.toString();
			assertTrue(everything.contains("DOCKERHUB_TAG"), everything); // the environment is in the text searched
			for (String secret : List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
				"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI", "FwoGZXIvYXdz", "SECRET", "TOKEN")) {
				assertFalse(everything.contains(secret), secret + " in " + everything);
			}
			assertTrue(td.taskRoleArn().endsWith(":role/PlateRunTaskRole"), td.taskRoleArn());
		}
	}

	@Test
	void aNameAwsWouldRejectIsAnInputErrorAndNothingIsCreated() throws Exception {
		String config = config(CONFIG_PY + "SQS_QUEUE_NAME = 'plate run'\n");
		Outcome o = Outcome.run(MotoServer.env(), "--config", config, "setup");
		assertEquals(Main.BAD_INPUT, o.exit());
		assertTrue(o.err().contains("SQS_QUEUE_NAME: 'plate run' is not accepted by AWS") && o.err().contains("nothing was changed"),
			o.err());
		try (AwsClients aws = new AwsClients(Config.defaults(), null, MotoServer.env())) {
			assertEquals(List.of(), aws.sqs().listQueues().queueUrls());
			assertEquals(List.of(), aws.ecs().listClusters().clusterArns());
		}
	}

	@Test
	void helpSaysWhatEachCommandCreates() {
		Outcome setup = Outcome.run(Map.of(), "setup", "--help");
		assertEquals(0, setup.exit());
		assertTrue(setup.out().contains("init-account") && setup.out().contains("'python run.py setup'"), setup.out());
		Outcome init = Outcome.run(Map.of(), "init-account", "--help");
		assertEquals(0, init.exit());
		assertTrue(init.out().contains("--destroy") && init.out().contains("ParascopeSpotFleetRole"), init.out());
	}
}
