package org.parascope.aws.fleet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.parascope.ParascopeException;
import org.parascope.aws.AwsClients;
import org.parascope.aws.AwsErrors;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
import software.amazon.awssdk.services.ec2.model.LocationType;

/**
 * Checks, before anything is created, that everything a fleet plan names exists in the account and
 * region: instance types (offered here, and able to run the image), image, key pair, subnets,
 * security groups, instance profile and Spot Fleet role. All problems are reported at once, each
 * with where the value came from (a config key, or a fleet file and JSON path).
 */
public final class FleetChecks {

	private static final String INIT = "(run 'parascope init-account' once per account)";

	private final AwsClients aws;
	private final MachinePlan machines;
	private final List<String> problems = new ArrayList<>();
	private String account;

	private FleetChecks(AwsClients aws, MachinePlan machines) {
		this.aws = aws;
		this.machines = machines;
	}

	/** Throws one ParascopeException listing every problem found; returns quietly when there is none. */
	public static void check(AwsClients aws, FleetPlan plan) {
		FleetChecks checks = new FleetChecks(aws, plan.machines());
		checks.run(plan);
		if (!checks.problems.isEmpty()) {
			throw new ParascopeException("the fleet cannot be requested as described:\n  " + String.join("\n  ", checks.problems));
		}
	}

	/**
	 * The supported architectures of each instance type (x86_64, arm64). An instance type that does
	 * not exist, or is not offered in the region, is an error naming MACHINE_TYPE.
	 */
	public static Map<String, Set<String>> instanceTypes(AwsClients aws, List<String> types) {
		if (types.isEmpty()) throw new ParascopeException("MACHINE_TYPE: expected at least one EC2 instance type, e.g. ['m5.xlarge']");
		Ec2Client ec2 = aws.ec2();
		Set<String> offered = new LinkedHashSet<>();
		try {
			ec2.describeInstanceTypeOfferingsPaginator(r -> r.locationType(LocationType.REGION)
				.filters(f -> f.name("instance-type").values(types)))
				.forEach(page -> page.instanceTypeOfferings().forEach(o -> offered.add(o.instanceTypeAsString())));
		}
		catch (SdkException e) {
			throw AwsErrors.failure("looking up instance types " + types, e);
		}
		List<String> unknown = types.stream().filter(t -> !offered.contains(t)).toList();
		if (!unknown.isEmpty()) {
			throw new ParascopeException("MACHINE_TYPE: " + String.join(", ", unknown) + (unknown.size() == 1 ? " is not an"
				: " are not") + " EC2 instance type" + (unknown.size() == 1 ? "" : "s") + " offered in "
				+ aws.region() + " (see 'aws ec2 describe-instance-type-offerings')");
		}
		Map<String, Set<String>> architectures = new LinkedHashMap<>();
		try {
			ec2.describeInstanceTypesPaginator(r -> r.instanceTypesWithStrings(types)).forEach(page -> {
				for (InstanceTypeInfo info : page.instanceTypes()) {
					architectures.put(info.instanceTypeAsString(), Set.copyOf(info.processorInfo() == null ? List.of()
						: info.processorInfo().supportedArchitecturesAsStrings()));
				}
			});
		}
		catch (SdkException e) {
			throw AwsErrors.failure("looking up instance types " + types, e);
		}
		return architectures;
	}

	private void run(FleetPlan plan) {
		Map<String, Set<String>> types = instanceTypes(aws, machines.instanceTypes());
		image(types);
		if (machines.keyName() != null) {
			exists(machines.keyName(), "key pair", here(), () -> aws.ec2().describeKeyPairs(r -> r.keyNames(machines.keyName())));
		}
		for (String subnet : machines.subnets()) {
			exists(subnet, "subnet", here(), () -> aws.ec2().describeSubnets(r -> r.subnetIds(subnet)));
		}
		for (String group : machines.securityGroups()) {
			exists(group, "security group", here(), () -> aws.ec2().describeSecurityGroups(r -> r.groupIds(group)));
		}
		String profile = machines.instanceProfile();
		if (sameAccount(profile)) {
			String name = profile.substring(profile.lastIndexOf('/') + 1);
			exists(profile, "instance profile", INIT, () -> aws.iam().getInstanceProfile(r -> r.instanceProfileName(name)));
		}
		if (plan instanceof FleetPlan.SpotFleet spot && sameAccount(spot.fleetRole())) {
			String name = spot.fleetRole().substring(spot.fleetRole().lastIndexOf('/') + 1);
			exists(spot.fleetRole(), "IAM role", INIT, () -> aws.iam().getRole(r -> r.roleName(name)));
		}
	}

	private String here() {
		return "in " + aws.region();
	}

	/** The image exists here, and every instance type can run its architecture. */
	private void image(Map<String, Set<String>> types) {
		List<Image> found;
		try {
			found = aws.ec2().describeImages(r -> r.imageIds(machines.imageId())).images();
		}
		catch (AwsServiceException e) {
			if (!isMissing(e)) throw AwsErrors.failure("looking up image " + machines.imageId(), e);
			found = List.of();
		}
		catch (SdkException e) {
			throw AwsErrors.failure("looking up image " + machines.imageId(), e);
		}
		if (found.isEmpty()) {
			problems.add(machines.origin(machines.imageId()) + ": image " + machines.imageId() + " does not exist in "
				+ aws.region() + " or is not available to this account");
			return;
		}
		String architecture = found.get(0).architectureAsString();
		types.forEach((type, supported) -> {
			if (architecture != null && !supported.isEmpty() && !supported.contains(architecture)) {
				problems.add("MACHINE_TYPE: " + type + " (" + String.join(", ", supported) + ") cannot run image "
					+ machines.imageId() + " (" + architecture + ")");
			}
		});
	}

	/** For an ARN: whether it names this account; if not, that is the problem (DCP's templates say XXXXXXXXXXXX). */
	private boolean sameAccount(String nameOrArn) {
		if (!nameOrArn.startsWith("arn:")) return true;
		String[] parts = nameOrArn.split(":", 6);
		if (parts.length < 6) {
			problems.add(machines.origin(nameOrArn) + ": not a valid ARN: " + nameOrArn);
			return false;
		}
		if (account == null) {
			try {
				account = aws.sts().getCallerIdentity().account();
			}
			catch (SdkException e) {
				throw AwsErrors.failure("finding the account of the credentials", e);
			}
		}
		if (!parts[4].equals(account)) {
			problems.add(machines.origin(nameOrArn) + ": " + nameOrArn + " names account '" + parts[4]
				+ "', but the credentials are of account " + account);
			return false;
		}
		return true;
	}

	/** @param where how the problem ends: "in us-east-1", or what creates the missing thing */
	private void exists(String value, String what, String where, Runnable lookup) {
		try {
			lookup.run();
		}
		catch (AwsServiceException e) {
			if (!isMissing(e)) throw AwsErrors.failure("looking up " + what + " " + value, e);
			problems.add(machines.origin(value) + ": " + what + " " + value + " does not exist " + where);
		}
		catch (SdkException e) {
			throw AwsErrors.failure("looking up " + what + " " + value, e);
		}
	}

	/** AWS's answers for an id that is unknown or malformed (a placeholder such as subnet-WWWWWWWW). */
	private static boolean isMissing(AwsServiceException e) {
		String code = e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorCode());
		return code.contains("NotFound") || code.contains("Malformed") || code.equals("NoSuchEntity")
			|| code.equals("InvalidParameterValue") || code.startsWith("InvalidAMIID") || code.startsWith("InvalidGroup")
			|| code.startsWith("InvalidSubnet") || code.startsWith("InvalidKeyPair");
	}
}
