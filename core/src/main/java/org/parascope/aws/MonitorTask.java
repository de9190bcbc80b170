package org.parascope.aws;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.parascope.ParascopeException;
import org.parascope.Ticker;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;

import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/**
 * The monitor as a small Fargate task, so that no laptop has to stay on (DCP needs a Lambda for
 * this). It runs the same {@code parascope monitor} in the parascope image (DOCKERHUB_TAG) on a
 * copy of the state file in S3, in the account's {@code default} cluster: the app's own cluster
 * cannot be deleted while a task runs in it, and the default cluster is never deleted.
 *
 * <p>Its settings reach it as environment variables (the config's keys, never credentials); its
 * permissions come from the task role {@value #ROLE}, created on first use with only the calls
 * a monitor and a teardown make.
 */
public final class MonitorTask {

	public static final String CLUSTER = "default";
	public static final String ROLE = "ParascopeMonitorRole";
	/** Where the state file's copy goes in the run's bucket. */
	public static final String STATE_PREFIX = "parascope/state/";
	static final String CONTAINER = "monitor";
	/**
	 * The JVM options of the monitor's java, which the image's entrypoint takes from JAVA_HEAP: those the
	 * command line's launcher gives every control-plane command (dist/src/bin/parascope, docs/benchmarks.md),
	 * instead of the worker's heap sized to the container.
	 */
	public static final String JAVA_OPTIONS = "-XX:+UseSerialGC -Xmx192m -XX:TieredStopAtLevel=1";
	/** MiB, the task's and its one container's (Fargate's least with 0.25 vCPU): room for the capped JVM. */
	private static final int MEMORY = 512;
	private static final Duration ROLE_PROPAGATION = Duration.ofMinutes(2);
	private static final Duration RETRY_EVERY = Duration.ofSeconds(5);

	/** @param taskArn the running task; @param stateLocation the s3:// URL of the state it reads and writes */
	public record Started(String taskArn, String stateLocation) {}

	private final AwsClients aws;
	private final Config config;
	private final Ticker ticker;

	public MonitorTask(AwsClients aws, Config config, Ticker ticker) {
		this.aws = aws;
		this.config = config;
		this.ticker = ticker;
	}

	public static String family(String app) {
		return app + "Monitor";
	}

	/** s3://BUCKET/parascope/state/NAME where a detached monitor keeps the state file NAME. */
	public static String stateLocation(StateFile state, String fileName) {
		return "s3://" + state.bucket() + "/" + STATE_PREFIX + fileName;
	}

	/** Whether the task is still starting or running. */
	public boolean isRunning(String taskArn) {
		try {
			return aws.ecs().describeTasks(b -> b.cluster(CLUSTER).tasks(taskArn)).tasks().stream()
				.anyMatch(t -> !"STOPPED".equals(t.lastStatus()) && !"STOPPED".equals(t.desiredStatus()));
		}
		catch (ClusterNotFoundException e) {
			return false;
		}
	}

	/**
	 * Starts the monitor task. The caller has already uploaded the state file to {@code stateLocation}.
	 *
	 * @param monitorArgs the options after {@code monitor STATE}, e.g. --interval 60 --cheapest
	 * @param subnets     where the task runs; empty means the default VPC's default subnets
	 */
	public Started start(StateFile state, String stateLocation, List<String> monitorArgs, List<String> subnets) {
		String image = config.string(ConfigKey.DOCKERHUB_TAG);
		List<String> where = subnets.isEmpty() ? defaultSubnets() : subnets;
		String securityGroup = defaultSecurityGroup(where.get(0));
		String role = role(state.bucket());
		ensureCluster();
		List<String> command = new ArrayList<>(List.of("monitor", stateLocation));
		command.addAll(monitorArgs);
		String definition = register(state, image, role, command);
		return new Started(run(definition, where, securityGroup), stateLocation);
	}

	private List<String> defaultSubnets() {
		List<String> ids = aws.ec2().describeSubnets(b -> b.filters(f -> f.name("default-for-az").values("true")))
			.subnets().stream().map(s -> s.subnetId()).toList();
		if (ids.isEmpty()) {
			throw new ParascopeException("monitor --detach: this region has no default VPC subnets; name the subnets "
				+ "the monitor task may use with --subnet (public ones, or private ones with a NAT gateway)");
		}
		return ids;
	}

	/** The VPC's default security group: the monitor only calls out, to AWS's APIs. */
	private String defaultSecurityGroup(String subnet) {
		String vpc = aws.ec2().describeSubnets(b -> b.subnetIds(subnet)).subnets().get(0).vpcId();
		return aws.ec2().describeSecurityGroups(b -> b.filters(f -> f.name("vpc-id").values(vpc),
			f -> f.name("group-name").values("default"))).securityGroups().get(0).groupId();
	}

	/** The task role, created on first use; its bucket permissions grow with each bucket it is used with. */
	private String role(String bucket) {
		String arn;
		try {
			arn = aws.iam().getRole(b -> b.roleName(ROLE)).role().arn();
		}
		catch (NoSuchEntityException e) {
			arn = aws.iam().createRole(b -> b.roleName(ROLE).assumeRolePolicyDocument(TRUST)
				.description("Parascope's detached monitor: watches runs and tears them down")).role().arn();
		}
		String partition = arn.split(":")[1];
		aws.iam().attachRolePolicy(b -> b.roleName(ROLE)
			.policyArn("arn:" + partition + ":iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"));
		aws.iam().putRolePolicy(b -> b.roleName(ROLE).policyName("parascope-monitor").policyDocument(SERVICES));
		aws.iam().putRolePolicy(b -> b.roleName(ROLE).policyName("parascope-monitor-bucket-" + bucket)
			.policyDocument(bucketPolicy(partition, bucket)));
		return arn;
	}

	private void ensureCluster() {
		boolean active = aws.ecs().describeClusters(b -> b.clusters(CLUSTER)).clusters().stream()
			.anyMatch(c -> "ACTIVE".equals(c.status()));
		if (!active) aws.ecs().createCluster(b -> b.clusterName(CLUSTER));
	}

	private String register(StateFile state, String image, String role, List<String> command) {
		Map<String, String> env = new LinkedHashMap<>(config.asEnvironment());
		// The task role gives the credentials; a profile name would only send the SDK looking for files.
		env.remove(ConfigKey.AWS_PROFILE.name());
		env.put("JAVA_HEAP", JAVA_OPTIONS);
		String region = aws.region().id();
		ContainerDefinition container = ContainerDefinition.builder().name(CONTAINER).image(image).essential(true)
			.memory(MEMORY).command(command)
			.environment(env.entrySet().stream().map(e -> KeyValuePair.builder().name(e.getKey()).value(e.getValue()).build()).toList())
			.logConfiguration(l -> l.logDriver(LogDriver.AWSLOGS).options(Map.of("awslogs-group", state.logGroup(),
				"awslogs-region", region, "awslogs-stream-prefix", "monitor", "awslogs-create-group", "true")))
			.build();
		return aws.ecs().registerTaskDefinition(b -> b.family(family(state.app())).requiresCompatibilities(Compatibility.FARGATE)
			.networkMode(NetworkMode.AWSVPC).cpu("256").memory(Integer.toString(MEMORY)).taskRoleArn(role).executionRoleArn(role)
			.containerDefinitions(container)).taskDefinition().taskDefinitionArn();
	}

	/** Runs the task; a role created moments ago may not be usable by ECS yet, which is waited out. */
	private String run(String definition, List<String> subnets, String securityGroup) {
		Instant deadline = ticker.now().plus(ROLE_PROPAGATION);
		while (true) {
			try {
				RunTaskResponse response = aws.ecs().runTask(b -> b.cluster(CLUSTER).taskDefinition(definition)
					.launchType(LaunchType.FARGATE).count(1).startedBy("parascope")
					.networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets(subnets).securityGroups(securityGroup)
						.assignPublicIp(AssignPublicIp.ENABLED))));
				if (!response.failures().isEmpty()) {
					throw new ParascopeException("monitor --detach: ECS could not start the monitor task: "
						+ response.failures().get(0).reason() + " " + response.failures().get(0).detail());
				}
				return response.tasks().get(0).taskArn();
			}
			catch (InvalidParameterException e) {
				boolean roleNotReady = e.getMessage() != null && e.getMessage().toLowerCase().contains("role");
				if (!roleNotReady || !ticker.now().isBefore(deadline)) throw e;
				ticker.sleep(RETRY_EVERY);
			}
		}
	}

	private static final String TRUST = """
		{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
		  "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}""";

	/** What reading a run, scaling its fleet and tearing it down call; nothing that creates compute. */
	private static final String SERVICES = """
		{"Version": "2012-10-17", "Statement": [
		  {"Effect": "Allow", "Action": ["sqs:GetQueueUrl", "sqs:GetQueueAttributes", "sqs:ListQueues",
		    "sqs:DeleteQueue"], "Resource": "*"},
		  {"Effect": "Allow", "Action": ["ec2:DescribeSpotFleetRequests", "ec2:DescribeSpotFleetInstances",
		    "ec2:ModifySpotFleetRequest", "ec2:CancelSpotFleetRequests", "ec2:DescribeFleets",
		    "ec2:DescribeFleetInstances", "ec2:ModifyFleet", "ec2:DeleteFleets", "ec2:DescribeLaunchTemplates",
		    "ec2:DeleteLaunchTemplate", "ec2:DescribeInstances", "ec2:TerminateInstances"], "Resource": "*"},
		  {"Effect": "Allow", "Action": ["ecs:DescribeServices", "ecs:DescribeClusters", "ecs:DescribeTasks",
		    "ecs:DescribeContainerInstances", "ecs:ListServices", "ecs:ListTasks", "ecs:ListTaskDefinitions",
		    "ecs:ListContainerInstances", "ecs:UpdateService", "ecs:DeleteService", "ecs:DeregisterTaskDefinition",
		    "ecs:DeleteTaskDefinitions", "ecs:DeleteCluster", "ecs:DeregisterContainerInstance", "ecs:StopTask"],
		    "Resource": "*"},
		  {"Effect": "Allow", "Action": ["cloudwatch:DescribeAlarms", "cloudwatch:DeleteAlarms", "cloudwatch:PutMetricAlarm",
		    "cloudwatch:ListDashboards", "cloudwatch:DeleteDashboards"], "Resource": "*"},
		  {"Effect": "Allow", "Action": ["logs:DescribeLogGroups", "logs:FilterLogEvents", "logs:CreateExportTask",
		    "logs:DescribeExportTasks", "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
		    "Resource": "*"}]}""";

	/** The state file's copy and the log export markers live in the run's bucket. */
	private static String bucketPolicy(String partition, String bucket) {
		String arn = "arn:" + partition + ":s3:::" + bucket;
		return """
			{"Version": "2012-10-17", "Statement": [
			  {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "%s/*"},
			  {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "%s"}]}""".formatted(arn, arn);
	}
}
