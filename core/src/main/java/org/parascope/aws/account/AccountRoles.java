package org.parascope.aws.account;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.parascope.ParascopeException;
import org.parascope.aws.AwsClients;
import org.parascope.aws.AwsErrors;
import org.parascope.aws.IamPolicy;
import org.parascope.aws.Names;
import org.parascope.aws.ecs.MonitorTask;
import org.parascope.aws.fleet.LaunchTemplates;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.InstanceProfile;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * The one-time account setup (Distributed-CellProfiler's setup_AWS.py): the IAM roles the fleet,
 * its instances and the worker containers act as. Every role and instance profile it creates carries
 * the tag {@value #TAG_KEY}={@value #TAG_VALUE}; it changes and removes only those, so a role of the
 * same name made by someone else is left as it is.
 */
public final class AccountRoles {

	/** Spot Fleet's own role: launches, tags and terminates the fleet's instances. */
	public static final String SPOT_FLEET_ROLE = "ParascopeSpotFleetRole";
	/** The worker containers' role is APP_NAME + this: its policy names the app's queue, buckets and logs. */
	static final String TASK_ROLE_SUFFIX = "TaskRole";
	static final String WORKER_POLICY = "ParascopeWorker";
	static final String TAG_KEY = "CreatedBy";
	static final String TAG_VALUE = "parascope init-account";

	private final Config config;
	private final IamClient iam;
	private final AwsClients aws;

	public AccountRoles(Config config, AwsClients aws) {
		this.config = config;
		this.aws = aws;
		this.iam = aws.iam();
	}

	/** The name of the task role of this config's app. */
	public static String taskRole(Config config) {
		return config.string(ConfigKey.APP_NAME) + TASK_ROLE_SUFFIX;
	}

	/** What one role is: who may assume it, which AWS managed policies it has, its own policy if any. */
	private record RoleSpec(String name, String service, List<String> managedPolicies, ObjectNode workerPolicy,
		ObjectNode trust) {}

	/** Creates what is missing, brings Parascope's roles up to date; one line per role and profile. */
	public List<String> create() {
		NameRules.checkAccount(config);
		List<RoleSpec> roles = specs();
		List<String> lines = new ArrayList<>();
		for (RoleSpec spec : roles) {
			lines.add(ensure(spec));
			if (spec.name().equals(Names.INSTANCE_ROLE)) lines.add(ensureInstanceProfile());
		}
		return lines;
	}

	/**
	 * Removes exactly what {@link #create} made for this app: its task role, and its monitor's role. The
	 * instance role, its profile and the Spot Fleet role are shared by every app of the account: they go
	 * only with the last app's task role, and are kept, saying so, while another app's exists.
	 */
	public List<String> destroy() {
		List<String> lines = new ArrayList<>();
		List<String> others = otherAppsTaskRoles();
		String monitorRole = MonitorTask.roleName(config.string(ConfigKey.APP_NAME));
		for (String name : List.of(taskRole(config), monitorRole, SPOT_FLEET_ROLE, Names.INSTANCE_ROLE)) {
			boolean shared = name.equals(SPOT_FLEET_ROLE) || name.equals(Names.INSTANCE_ROLE);
			Optional<Role> role = role(name);
			if (role.isEmpty()) lines.add("role " + name + ": not found");
			else if (name.equals(monitorRole) ? !taggedFor(name, config.string(ConfigKey.APP_NAME)) : !ours(name)) {
				lines.add("role " + name + ": not created by Parascope: left as is");
			}
			else if (shared && !others.isEmpty()) {
				lines.add("role " + name + ": kept: shared with other apps, whose task roles still exist ("
					+ String.join(", ", others) + "); it goes with the last of them");
			}
			else {
				if (name.equals(Names.INSTANCE_ROLE)) lines.addAll(removeFromInstanceProfiles(name));
				run("deleting role " + name, () -> {
					for (AttachedPolicy p : iam.listAttachedRolePoliciesPaginator(b -> b.roleName(name)).attachedPolicies()) {
						iam.detachRolePolicy(b -> b.roleName(name).policyArn(p.policyArn()));
					}
					for (String policy : iam.listRolePoliciesPaginator(b -> b.roleName(name)).policyNames()) {
						iam.deleteRolePolicy(b -> b.roleName(name).policyName(policy));
					}
					iam.deleteRole(b -> b.roleName(name));
				});
				lines.add("role " + name + ": deleted");
			}
		}
		return lines;
	}

	/** The task roles init-account made for other apps of this account: they still need the shared roles. */
	private List<String> otherAppsTaskRoles() {
		String mine = taskRole(config);
		return call("listing roles", () -> iam.listRolesPaginator().roles().stream().map(Role::roleName)
			.filter(n -> n.endsWith(TASK_ROLE_SUFFIX) && !n.equals(mine))
			.filter(this::ours).sorted().toList());
	}

	private List<RoleSpec> specs() {
		GetCallerIdentityResponse me = call("finding the AWS account", () -> aws.sts().getCallerIdentity());
		String arnPrefix = "arn:" + me.arn().split(":")[1] + ":";
		String managed = arnPrefix + "iam::aws:policy/service-role/";
		ObjectNode taskTrust = trust("ecs-tasks.amazonaws.com");
		// Only ECS tasks of this account may take the role (AWS's advice against the confused deputy).
		((ObjectNode) taskTrust.get("Statement").get(0)).putObject("Condition").putObject("StringEquals")
			.put("aws:SourceAccount", me.account());
		return List.of(
			new RoleSpec(Names.INSTANCE_ROLE, "ec2.amazonaws.com", List.of(managed + "AmazonEC2ContainerServiceforEC2Role"), null,
				trust("ec2.amazonaws.com")),
			new RoleSpec(SPOT_FLEET_ROLE, "spotfleet.amazonaws.com", List.of(managed + "AmazonEC2SpotFleetTaggingRole"), null,
				trust("spotfleet.amazonaws.com")),
			new RoleSpec(taskRole(config), "ecs-tasks.amazonaws.com", List.of(), WorkerPolicy.document(arnPrefix,
				aws.region().id(), me.account(), Names.of(config), NameRules.buckets(config)), taskTrust));
	}

	private static ObjectNode trust(String service) {
		ObjectNode doc = IamPolicy.document();
		doc.putArray("Statement").addObject().put("Effect", "Allow").put("Action", "sts:AssumeRole")
			.putObject("Principal").put("Service", service);
		return doc;
	}

	private String ensure(RoleSpec spec) {
		String name = spec.name();
		Optional<Role> existing = role(name);
		if (existing.isEmpty()) {
			Role created = call("creating role " + name, () -> {
				List<Tag> tags = new ArrayList<>(List.of(tag()));
				if (spec.workerPolicy() != null) {
					tags.add(Tag.builder().key(LaunchTemplates.APP_TAG).value(config.string(ConfigKey.APP_NAME)).build());
				}
				Role role = iam.createRole(b -> b.roleName(name).assumeRolePolicyDocument(spec.trust().toString())
					.description("Created by parascope init-account for " + spec.service())
					.tags(tags)).role();
				for (String arn : spec.managedPolicies()) iam.attachRolePolicy(b -> b.roleName(name).policyArn(arn));
				if (spec.workerPolicy() != null) putWorkerPolicy(name, spec.workerPolicy());
				iam.waiter().waitUntilRoleExists(b -> b.roleName(name));
				return role;
			});
			return "role " + name + ": created (" + created.arn() + ")";
		}
		Role role = existing.get();
		if (!ours(name)) {
			String line = "role " + name + ": exists, not created by Parascope: left as is (" + role.arn() + ")";
			Optional<String> broad = broadGrant(name);
			return broad.isEmpty() ? line : line + "; WARNING: it allows " + broad.get() + ", more than Parascope's "
				+ spec.service() + " role needs (docs/security.md): narrow it, or delete it and run init-account again";
		}
		List<String> changes = new ArrayList<>();
		run("updating role " + name, () -> {
			if (!parse(role.assumeRolePolicyDocument()).equals(spec.trust())) {
				iam.updateAssumeRolePolicy(b -> b.roleName(name).policyDocument(spec.trust().toString()));
				changes.add("trust policy (now " + spec.service() + ")");
			}
			Set<String> attached = new TreeSet<>();
			iam.listAttachedRolePoliciesPaginator(b -> b.roleName(name)).attachedPolicies()
				.forEach(p -> attached.add(p.policyArn()));
			for (String arn : spec.managedPolicies()) {
				if (!attached.contains(arn)) {
					iam.attachRolePolicy(b -> b.roleName(name).policyArn(arn));
					changes.add("attached " + arn);
				}
			}
			if (spec.workerPolicy() != null) {
				Optional<JsonNode> current = workerPolicy(name);
				if (current.isEmpty() || !current.get().equals(spec.workerPolicy())) {
					putWorkerPolicy(name, spec.workerPolicy());
					changes.add(WORKER_POLICY + " policy " + resourceChange(current, spec.workerPolicy()));
				}
			}
		});
		return "role " + name + ": " + (changes.isEmpty() ? "unchanged" : "updated: " + String.join(", ", changes))
			+ " (" + role.arn() + ")";
	}

	private String ensureInstanceProfile() {
		if (!ours(Names.INSTANCE_ROLE)) return "instance profile " + Names.INSTANCE_PROFILE + ": left as is (its role is not Parascope's)";
		return call("creating instance profile " + Names.INSTANCE_PROFILE, () -> {
			Optional<InstanceProfile> existing = instanceProfile();
			if (existing.isEmpty()) {
				InstanceProfile created = iam.createInstanceProfile(b -> b.instanceProfileName(Names.INSTANCE_PROFILE).tags(tag()))
					.instanceProfile();
				iam.addRoleToInstanceProfile(b -> b.instanceProfileName(Names.INSTANCE_PROFILE).roleName(Names.INSTANCE_ROLE));
				iam.waiter().waitUntilInstanceProfileExists(b -> b.instanceProfileName(Names.INSTANCE_PROFILE));
				return "instance profile " + Names.INSTANCE_PROFILE + ": created (" + created.arn() + ")";
			}
			InstanceProfile profile = existing.get();
			if (profile.roles().stream().anyMatch(r -> r.roleName().equals(Names.INSTANCE_ROLE))) {
				return "instance profile " + Names.INSTANCE_PROFILE + ": unchanged (" + profile.arn() + ")";
			}
			// A profile holds at most one role: one that is not ours would have to go first.
			if (!profile.roles().isEmpty()) {
				throw new ParascopeException("instance profile " + Names.INSTANCE_PROFILE + " holds role "
					+ profile.roles().get(0).roleName() + ", not " + Names.INSTANCE_ROLE + ": remove that role from it first");
			}
			iam.addRoleToInstanceProfile(b -> b.instanceProfileName(Names.INSTANCE_PROFILE).roleName(Names.INSTANCE_ROLE));
			return "instance profile " + Names.INSTANCE_PROFILE + ": updated: role " + Names.INSTANCE_ROLE + " added (" + profile.arn() + ")";
		});
	}

	private List<String> removeFromInstanceProfiles(String role) {
		List<String> lines = new ArrayList<>();
		run("removing role " + role + " from its instance profiles", () -> {
			for (InstanceProfile p : iam.listInstanceProfilesForRolePaginator(b -> b.roleName(role)).instanceProfiles()) {
				iam.removeRoleFromInstanceProfile(b -> b.instanceProfileName(p.instanceProfileName()).roleName(role));
				if (p.instanceProfileName().equals(Names.INSTANCE_PROFILE)) {
					iam.deleteInstanceProfile(b -> b.instanceProfileName(Names.INSTANCE_PROFILE));
					lines.add("instance profile " + Names.INSTANCE_PROFILE + ": deleted");
				}
				else lines.add("instance profile " + p.instanceProfileName() + ": role " + role + " removed from it");
			}
		});
		if (lines.isEmpty()) lines.add("instance profile " + Names.INSTANCE_PROFILE + ": not found");
		return lines;
	}

	/** Which resources the policy grants on that it did not before, and no longer does. */
	private static String resourceChange(Optional<JsonNode> before, JsonNode after) {
		Set<String> old = before.map(AccountRoles::resources).orElse(new TreeSet<>()), now = resources(after);
		List<String> parts = new ArrayList<>();
		now.stream().filter(r -> !old.contains(r)).forEach(r -> parts.add("+" + r));
		old.stream().filter(r -> !now.contains(r)).forEach(r -> parts.add("-" + r));
		return parts.isEmpty() ? "actions changed" : String.join(" ", parts);
	}

	private static Set<String> resources(JsonNode policy) {
		Set<String> resources = new TreeSet<>();
		policy.path("Statement").forEach(s -> {
			JsonNode r = s.path("Resource");
			if (r.isArray()) r.forEach(x -> resources.add(x.asText()));
			else if (!r.isMissingNode()) resources.add(r.asText());
		});
		return resources;
	}

	private void putWorkerPolicy(String role, ObjectNode document) {
		iam.putRolePolicy(b -> b.roleName(role).policyName(WORKER_POLICY).policyDocument(document.toString()));
	}

	private Optional<JsonNode> workerPolicy(String role) {
		try {
			return Optional.of(parse(iam.getRolePolicy(b -> b.roleName(role).policyName(WORKER_POLICY)).policyDocument()));
		}
		catch (NoSuchEntityException e) {
			return Optional.empty();
		}
	}

	private Optional<Role> role(String name) {
		return call("reading role " + name, () -> {
			try {
				return Optional.of(iam.getRole(b -> b.roleName(name)).role());
			}
			catch (NoSuchEntityException e) {
				return Optional.empty();
			}
		});
	}

	private Optional<InstanceProfile> instanceProfile() {
		try {
			return Optional.of(iam.getInstanceProfile(b -> b.instanceProfileName(Names.INSTANCE_PROFILE)).instanceProfile());
		}
		catch (NoSuchEntityException e) {
			return Optional.empty();
		}
	}

	/** The first grant of the role's policies, inline or attached, that reaches beyond one app (PolicyScope). */
	private Optional<String> broadGrant(String role) {
		return call("reading the policies of role " + role, () -> {
			for (String policy : iam.listRolePoliciesPaginator(b -> b.roleName(role)).policyNames()) {
				String document = iam.getRolePolicy(b -> b.roleName(role).policyName(policy)).policyDocument();
				Optional<String> broad = PolicyScope.firstBroadGrant(parse(document));
				if (broad.isPresent()) return Optional.of(broad.get() + " (policy " + policy + ")");
			}
			for (AttachedPolicy p : iam.listAttachedRolePoliciesPaginator(b -> b.roleName(role)).attachedPolicies()) {
				String version = iam.getPolicy(b -> b.policyArn(p.policyArn())).policy().defaultVersionId();
				String document = iam.getPolicyVersion(b -> b.policyArn(p.policyArn()).versionId(version)).policyVersion()
					.document();
				Optional<String> broad = PolicyScope.firstBroadGrant(parse(document));
				if (broad.isPresent()) return Optional.of(broad.get() + " (policy " + p.policyName() + ")");
			}
			return Optional.<String>empty();
		});
	}

	private boolean taggedFor(String role, String app) {
		return call("reading the tags of role " + role, () -> iam.listRoleTags(b -> b.roleName(role)).tags().stream()
			.anyMatch(t -> t.key().equals(LaunchTemplates.APP_TAG) && t.value().equals(app)));
	}

	private boolean ours(String role) {
		return call("reading the tags of role " + role, () -> iam.listRoleTags(b -> b.roleName(role)).tags().stream()
			.anyMatch(t -> t.key().equals(TAG_KEY) && t.value().equals(TAG_VALUE)));
	}

	private static Tag tag() {
		return Tag.builder().key(TAG_KEY).value(TAG_VALUE).build();
	}

	/** IAM returns policy documents URL-encoded. */
	private static JsonNode parse(String encoded) {
		try {
			return IamPolicy.JSON.readTree(URLDecoder.decode(encoded, StandardCharsets.UTF_8));
		}
		catch (JsonProcessingException e) {
			throw new ParascopeException("IAM returned a policy that is not JSON: " + e.getOriginalMessage());
		}
	}

	private static <T> T call(String doing, java.util.function.Supplier<T> action) {
		try {
			return action.get();
		}
		catch (SdkException e) {
			throw AwsErrors.failure(doing, e);
		}
	}

	private static void run(String doing, Runnable action) {
		call(doing, () -> {
			action.run();
			return null;
		});
	}
}
