package org.parascope.aws.ecs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.parascope.ParascopeException;
import org.parascope.Ticker;
import org.parascope.aws.AwsClients;
import org.parascope.aws.Names;
import org.parascope.aws.TeardownPlan;
import org.parascope.aws.fleet.LaunchTemplates;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;
import org.parascope.run.RunState;

import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/**
 * The monitor as a small Fargate task, so that no laptop has to stay on (DCP needs a Lambda for
 * this). It runs the same {@code parascope monitor} in the parascope image (DOCKERHUB_TAG) on a
 * copy of the state file in S3, as an ECS service of one ({@link MonitorService}: a container that
 * dies is replaced), in the account's {@code default} cluster: the app's own cluster cannot be
 * deleted while a task runs in it, and the default cluster is never deleted.
 *
 * <p>Its settings reach it as environment variables (the config's keys, never credentials); its
 * permissions come from the app's own task role, APP_NAME + {@value #ROLE_SUFFIX}, created on first use
 * with only the calls a monitor and a teardown make, on the app's own resources ({@link MonitorPolicy}).
 */
public final class MonitorTask {

	public static final String CLUSTER = "default";
	/** The monitor's role is APP_NAME + this: one per app, so that no app's monitor can touch another's run. */
	public static final String ROLE_SUFFIX = "MonitorRole";
	public static final String POLICY = "parascope-monitor";
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

	/** @param service the ECS service that runs it; @param stateLocation the s3:// URL of the state it reads and writes */
	public record Started(String service, String stateLocation) {}

	private final AwsClients aws;
	private final Config config;
	private final Ticker ticker;

	public MonitorTask(AwsClients aws, Config config, Ticker ticker) {
		this.aws = aws;
		this.config = config;
		this.ticker = ticker;
	}

	/** s3://BUCKET/parascope/state/NAME where a detached monitor keeps the state file NAME. */
	public static String stateLocation(RunState state, String fileName) {
		return "s3://" + state.bucket() + "/" + STATE_PREFIX + fileName;
	}

	/**
	 * Starts the monitor's service (or finds it already there). The caller has already uploaded the state
	 * file to {@code stateLocation}.
	 *
	 * @param monitorArgs the options after {@code monitor STATE}, e.g. --interval 60 --cheapest
	 * @param subnets     where the task runs; empty means the default VPC's default subnets
	 */
	public Started start(RunState state, String stateLocation, List<String> monitorArgs, List<String> subnets) {
		String image = config.string(ConfigKey.DOCKERHUB_TAG);
		List<String> where = subnets.isEmpty() ? defaultSubnets() : subnets;
		String securityGroup = defaultSecurityGroup(where.get(0));
		String role = role(TeardownPlan.of(config, java.util.Optional.of(state)));
		ensureCluster();
		List<String> command = new ArrayList<>(List.of("monitor", stateLocation));
		command.addAll(monitorArgs);
		String definition = register(state, image, role, command);
		return new Started(createService(state, definition, where, securityGroup), stateLocation);
	}

	private List<String> defaultSubnets() {
		List<String> ids = aws.ec2().describeSubnets(b -> b.filters(f -> f.name("default-for-az").values("true")))
			.subnets().stream().map(s -> s.subnetId()).toList();
		if (ids.isEmpty()) {
			throw new ParascopeException("monitor --detach: this region has no default VPC subnets; name the subnets "
				+ "the monitor's task may use with --subnet (public ones, or private ones with a NAT gateway)");
		}
		return ids;
	}

	/** The VPC's default security group: the monitor only calls out, to AWS's APIs. */
	private String defaultSecurityGroup(String subnet) {
		String vpc = aws.ec2().describeSubnets(b -> b.subnetIds(subnet)).subnets().get(0).vpcId();
		return aws.ec2().describeSecurityGroups(b -> b.filters(f -> f.name("vpc-id").values(vpc),
			f -> f.name("group-name").values("default"))).securityGroups().get(0).groupId();
	}

	public static String roleName(String app) {
		return app + ROLE_SUFFIX;
	}

	/**
	 * The app's monitor role, created on first use, its trust and policy brought up to date for this run:
	 * only ECS tasks of this account may take it, and it reaches only this run's resources.
	 */
	public String role(TeardownPlan plan) {
		var me = aws.sts().getCallerIdentity();
		String partition = me.arn().split(":")[1];
		String name = roleName(plan.app());
		String trust = trust(me.account());
		String arn;
		try {
			arn = aws.iam().getRole(b -> b.roleName(name)).role().arn();
			aws.iam().updateAssumeRolePolicy(b -> b.roleName(name).policyDocument(trust));
		}
		catch (NoSuchEntityException e) {
			arn = aws.iam().createRole(b -> b.roleName(name).assumeRolePolicyDocument(trust)
				.description("Parascope's detached monitor of app " + plan.app() + ": watches its runs and tears them down")
				.tags(t -> t.key(LaunchTemplates.APP_TAG).value(plan.app()))).role().arn();
		}
		aws.iam().attachRolePolicy(b -> b.roleName(name)
			.policyArn("arn:" + partition + ":iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"));
		String policy = MonitorPolicy.document(partition, aws.region().id(), me.account(), plan).toString();
		aws.iam().putRolePolicy(b -> b.roleName(name).policyName(POLICY).policyDocument(policy));
		return arn;
	}

	private void ensureCluster() {
		boolean active = aws.ecs().describeClusters(b -> b.clusters(CLUSTER)).clusters().stream()
			.anyMatch(c -> "ACTIVE".equals(c.status()));
		if (!active) aws.ecs().createCluster(b -> b.clusterName(CLUSTER));
	}

	private String register(RunState state, String image, String role, List<String> command) {
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
		return aws.ecs().registerTaskDefinition(b -> b.family(Names.monitorFamily(state.app())).requiresCompatibilities(Compatibility.FARGATE)
			.networkMode(NetworkMode.AWSVPC).cpu("256").memory(Integer.toString(MEMORY)).taskRoleArn(role).executionRoleArn(role)
			.containerDefinitions(container)).taskDefinition().taskDefinitionArn();
	}

	/** Creates the service; a role created moments ago may not be usable by ECS yet, which is waited out. */
	private String createService(RunState state, String definition, List<String> subnets, String securityGroup) {
		Instant deadline = ticker.now().plus(ROLE_PROPAGATION);
		while (true) {
			try {
				return new MonitorService(aws).create(state.app(), state.fleetId(), definition, subnets, securityGroup).name();
			}
			catch (InvalidParameterException e) {
				boolean roleNotReady = e.getMessage() != null && e.getMessage().toLowerCase().contains("role");
				if (!roleNotReady || !ticker.now().isBefore(deadline)) throw e;
				ticker.sleep(RETRY_EVERY);
			}
		}
	}

	/** Only ECS tasks of this account may take the role (AWS's advice against the confused deputy). */
	private static String trust(String account) {
		return """
			{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
			  "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole",
			  "Condition": {"StringEquals": {"aws:SourceAccount": "%s"}}}]}""".formatted(account);
	}
}
