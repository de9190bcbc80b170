package org.parascope.aws.fleet;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

import org.parascope.ParascopeException;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.services.ec2.model.AllocationStrategy;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateBlockDeviceMappingRequest;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateEbsBlockDeviceRequest;

/**
 * A Distributed-CellProfiler / Distributed-Fiji fleet file: the Spot Fleet request config users
 * pass to {@code run.py startCluster} (docs/compatibility.md §3), read unchanged and turned into a
 * {@link FleetPlan.SpotFleet}. As DCP does, the config fills in the target capacity
 * (CLUSTER_MACHINES), the price (MACHINE_PRICE), the instance types (every MACHINE_TYPE), the data
 * volume's size (EBS_VOL_SIZE), the validity period and the user data (join ECS_CLUSTER).
 *
 * <p>The launch specifications become one launch template (see {@link MachinePlan} for why), so
 * several specifications may differ only in instance type and subnet. Every mistake is reported
 * with the file and the JSON path of the value at fault, before anything is created.
 */
public final class FleetFile {

	private static final JsonMapper JSON = new JsonMapper();

	/** Keys the config fills in, as DCP does: a value in the file is replaced without comment. */
	private static final Set<String> FILLED_IN = Set.of("ValidFrom", "ValidUntil", "TargetCapacity", "SpotPrice");
	private static final Set<String> READ = Set.of("IamFleetRole", "AllocationStrategy", "Type",
		"TerminateInstancesWithExpiration", "InstanceInterruptionBehavior", "LaunchSpecifications");
	/** Launch specification keys that may differ between specifications (or are filled in). */
	private static final Set<String> VARYING = Set.of("InstanceType", "SubnetId", "WeightedCapacity", "SpotPrice",
		"UserData");
	private static final Set<String> SPEC_READ = Set.of("ImageId", "KeyName", "IamInstanceProfile",
		"BlockDeviceMappings", "NetworkInterfaces", "SecurityGroups");

	private final String file;
	private final Consumer<String> warnings;
	private final Map<String, String> origins = new LinkedHashMap<>();

	private FleetFile(Path file, Consumer<String> warnings) {
		this.file = file.toString();
		this.warnings = warnings;
	}

	/**
	 * Reads and checks the file's form; what it names (image, roles, subnets...) is checked against
	 * AWS later, by {@link FleetChecks}.
	 *
	 * @param warnings told about keys Parascope ignores
	 */
	public static FleetPlan.SpotFleet read(Path file, Config config, Consumer<String> warnings) {
		return new FleetFile(file, warnings).plan(parse(file), config);
	}

	private static JsonNode parse(Path file) {
		JsonNode root;
		try {
			root = JSON.readTree(file.toFile());
		}
		catch (JsonProcessingException e) {
			var at = e.getLocation();
			throw new ParascopeException(file + (at == null ? "" : ": line " + at.getLineNr() + ", column "
				+ at.getColumnNr()) + ": not valid JSON: " + e.getOriginalMessage());
		}
		catch (IOException e) {
			throw new ParascopeException(file + ": cannot read the fleet file: " + e.getMessage());
		}
		if (root == null || !root.isObject()) {
			throw new ParascopeException(file + ": expected a JSON object (a Spot Fleet request config, as in "
				+ "Distributed-CellProfiler's files/exampleFleet.json)");
		}
		return root;
	}

	private FleetPlan.SpotFleet plan(JsonNode root, Config config) {
		root.fieldNames().forEachRemaining(key -> {
			if (!READ.contains(key) && !FILLED_IN.contains(key)) warnings.accept(file + ": " + key + " is ignored");
		});
		String role = text(root, "IamFleetRole", "IamFleetRole", true);
		origins.put(role, file + ": IamFleetRole");
		String strategy = text(root, "AllocationStrategy", "AllocationStrategy", false);
		if (strategy != null && AllocationStrategy.fromValue(strategy) == AllocationStrategy.UNKNOWN_TO_SDK_VERSION) {
			throw error("AllocationStrategy", "expected one of " + AllocationStrategy.knownValues() + ", got '" + strategy + "'");
		}
		String type = text(root, "Type", "Type", false);
		if (type == null) type = "maintain";
		if (!type.equals("maintain") && !type.equals("request")) {
			throw error("Type", "expected 'maintain' (replace interrupted machines) or 'request', got '" + type + "'");
		}
		JsonNode expire = root.get("TerminateInstancesWithExpiration");
		if (expire != null && !expire.isBoolean()) throw error("TerminateInstancesWithExpiration", "expected true or false");
		String interruption = text(root, "InstanceInterruptionBehavior", "InstanceInterruptionBehavior", false);

		ArrayNode specs = array(root, "LaunchSpecifications", "LaunchSpecifications");
		if (specs.isEmpty()) throw error("LaunchSpecifications", "is empty: expected at least one launch specification");
		List<ObjectNode> objects = new ArrayList<>();
		for (int i = 0; i < specs.size(); i++) objects.add(object(specs.get(i), "LaunchSpecifications[" + i + "]"));
		sameMachines(objects);

		ObjectNode spec = objects.get(0);
		String at = "LaunchSpecifications[0]";
		spec.fieldNames().forEachRemaining(key -> {
			if (!SPEC_READ.contains(key) && !VARYING.contains(key)) warnings.accept(file + ": " + at + "." + key + " is ignored");
		});
		String image = text(spec, "ImageId", at + ".ImageId", true);
		origins.put(image, file + ": " + at + ".ImageId");
		String key = text(spec, "KeyName", at + ".KeyName", false);
		if (key != null) origins.put(key, file + ": " + at + ".KeyName");
		String profile = instanceProfile(spec, at + ".IamInstanceProfile");
		List<LaunchTemplateBlockDeviceMappingRequest> disks = disks(spec, at + ".BlockDeviceMappings",
			config.integer(ConfigKey.EBS_VOL_SIZE));
		JsonNode nic = firstInterface(spec, at);
		List<String> groups = groups(spec, nic, at);
		boolean publicIp = nic != null && nic.has("AssociatePublicIpAddress")
			? bool(nic, "AssociatePublicIpAddress", at + ".NetworkInterfaces[0].AssociatePublicIpAddress")
			: config.bool(ConfigKey.ASSIGN_IP);
		Set<String> subnets = new LinkedHashSet<>();
		for (int i = 0; i < objects.size(); i++) subnets.addAll(subnets(objects.get(i), "LaunchSpecifications[" + i + "]"));

		List<String> types = config.list(ConfigKey.MACHINE_TYPE);
		types.forEach(t -> origins.putIfAbsent(t, "MACHINE_TYPE"));
		MachinePlan machines = new MachinePlan(config.string(ConfigKey.APP_NAME), image, profile, key, disks,
			List.copyOf(subnets), groups, publicIp, types, price(config), UserData.joining(config.string(ConfigKey.ECS_CLUSTER)),
			origins);
		if (expire != null && !expire.asBoolean()) {
			warnings.accept(file + ": TerminateInstancesWithExpiration false is overridden: the fleet's machines end when it "
				+ "expires, MAX_RUN_HOURS (" + config.integer(ConfigKey.MAX_RUN_HOURS) + ") hours after start-fleet");
		}
		return new FleetPlan.SpotFleet(machines, role, strategy, type, interruption,
			Duration.ofHours(config.integer(ConfigKey.MAX_RUN_HOURS)));
	}

	/** MACHINE_PRICE as AWS wants it: a plain decimal, e.g. "0.2". */
	static String price(Config config) {
		double price = config.decimal(ConfigKey.MACHINE_PRICE);
		if (price <= 0) throw new ParascopeException("MACHINE_PRICE: expected a price above 0 (USD per machine-hour), got " + price);
		return BigDecimal.valueOf(price).stripTrailingZeros().toPlainString();
	}

	/** Every specification must describe the same machine, apart from instance type and subnet. */
	private void sameMachines(List<ObjectNode> specs) {
		ObjectNode first = machineOnly(specs.get(0));
		for (int i = 1; i < specs.size(); i++) {
			ObjectNode other = machineOnly(specs.get(i));
			Set<String> keys = new LinkedHashSet<>();
			first.fieldNames().forEachRemaining(keys::add);
			other.fieldNames().forEachRemaining(keys::add);
			for (String key : keys) {
				if (!Objects.equals(first.get(key), other.get(key))) {
					throw error("LaunchSpecifications[" + i + "]." + key, "differs from LaunchSpecifications[0]." + key
						+ ": Parascope makes one launch template of the first specification and varies only the "
						+ "instance type (MACHINE_TYPE) and the subnet; put the other machines' settings in one specification");
				}
			}
		}
	}

	private static ObjectNode machineOnly(ObjectNode spec) {
		ObjectNode copy = spec.deepCopy();
		copy.remove(VARYING);
		if (copy.get("NetworkInterfaces") instanceof ArrayNode nics) {
			nics.forEach(n -> {
				if (n instanceof ObjectNode o) o.remove("SubnetId");
			});
		}
		return copy;
	}

	private String instanceProfile(JsonNode spec, String at) {
		JsonNode profile = object(required(spec, "IamInstanceProfile", at), at);
		String arn = text(profile, "Arn", at + ".Arn", false);
		String name = text(profile, "Name", at + ".Name", false);
		if (arn == null && name == null) throw error(at, "expected Arn (or Name) of the instance profile, e.g. ecsInstanceRole's");
		String value = arn != null ? arn : name;
		origins.put(value, file + ": " + at + (arn != null ? ".Arn" : ".Name"));
		return value;
	}

	/** The mappings, with the data volume sized: the second mapping as in DCP, or the only one. */
	private List<LaunchTemplateBlockDeviceMappingRequest> disks(JsonNode spec, String at, int dataSize) {
		ArrayNode mappings = array(spec, "BlockDeviceMappings", at);
		if (mappings.isEmpty()) throw error(at, "is empty: expected the root volume and the data volume");
		int data = mappings.size() > 1 ? 1 : 0;
		List<LaunchTemplateBlockDeviceMappingRequest> disks = new ArrayList<>();
		for (int i = 0; i < mappings.size(); i++) {
			String path = at + "[" + i + "]";
			JsonNode mapping = object(mappings.get(i), path);
			var disk = LaunchTemplateBlockDeviceMappingRequest.builder()
				.deviceName(text(mapping, "DeviceName", path + ".DeviceName", true))
				.virtualName(text(mapping, "VirtualName", path + ".VirtualName", false))
				.noDevice(text(mapping, "NoDevice", path + ".NoDevice", false));
			JsonNode ebs = mapping.get("Ebs");
			if (ebs == null && i == data) {
				throw error(path + ".Ebs", "is missing: the data volume's size (EBS_VOL_SIZE) goes there");
			}
			if (ebs != null) {
				String e = path + ".Ebs";
				object(ebs, e);
				var volume = LaunchTemplateEbsBlockDeviceRequest.builder()
					.deleteOnTermination(ebs.has("DeleteOnTermination") ? bool(ebs, "DeleteOnTermination", e + ".DeleteOnTermination") : true)
					.volumeType(text(ebs, "VolumeType", e + ".VolumeType", false))
					.snapshotId(text(ebs, "SnapshotId", e + ".SnapshotId", false))
					.kmsKeyId(text(ebs, "KmsKeyId", e + ".KmsKeyId", false))
					.iops(integer(ebs, "Iops", e + ".Iops"))
					.throughput(integer(ebs, "Throughput", e + ".Throughput"))
					.volumeSize(i == data ? Integer.valueOf(dataSize) : integer(ebs, "VolumeSize", e + ".VolumeSize"));
				if (ebs.has("Encrypted")) volume.encrypted(bool(ebs, "Encrypted", e + ".Encrypted"));
				disk.ebs(volume.build());
			}
			disks.add(disk.build());
		}
		return disks;
	}

	private JsonNode firstInterface(JsonNode spec, String at) {
		if (!spec.has("NetworkInterfaces")) return null;
		ArrayNode nics = array(spec, "NetworkInterfaces", at + ".NetworkInterfaces");
		return nics.isEmpty() ? null : object(nics.get(0), at + ".NetworkInterfaces[0]");
	}

	private List<String> groups(JsonNode spec, JsonNode nic, String at) {
		List<String> groups = new ArrayList<>();
		if (nic != null && nic.has("Groups")) {
			ArrayNode list = array(nic, "Groups", at + ".NetworkInterfaces[0].Groups");
			for (int i = 0; i < list.size(); i++) {
				String path = at + ".NetworkInterfaces[0].Groups[" + i + "]";
				if (!list.get(i).isTextual()) throw error(path, "expected a security group id (sg-...)");
				groups.add(list.get(i).asText());
				origins.put(list.get(i).asText(), file + ": " + path);
			}
		}
		else if (spec.has("SecurityGroups")) {
			ArrayNode list = array(spec, "SecurityGroups", at + ".SecurityGroups");
			for (int i = 0; i < list.size(); i++) {
				String path = at + ".SecurityGroups[" + i + "]";
				String id = text(object(list.get(i), path), "GroupId", path + ".GroupId", true);
				groups.add(id);
				origins.put(id, file + ": " + path + ".GroupId");
			}
		}
		return groups;
	}

	/** SubnetId of the specification or of its first network interface; AWS allows a comma-separated list. */
	private List<String> subnets(ObjectNode spec, String at) {
		JsonNode nic = firstInterface(spec, at);
		String path = nic != null && nic.has("SubnetId") ? at + ".NetworkInterfaces[0].SubnetId" : at + ".SubnetId";
		String value = nic != null && nic.has("SubnetId") ? text(nic, "SubnetId", path, true)
			: text(spec, "SubnetId", path, false);
		List<String> subnets = new ArrayList<>();
		if (value == null) return subnets;
		for (String subnet : value.split(",")) {
			if (subnet.isBlank()) continue;
			subnets.add(subnet.strip());
			origins.putIfAbsent(subnet.strip(), file + ": " + path);
		}
		return subnets;
	}

	private JsonNode required(JsonNode parent, String key, String path) {
		JsonNode value = parent.get(key);
		if (value == null || value.isNull()) throw error(path, "is missing");
		return value;
	}

	private String text(JsonNode parent, String key, String path, boolean needed) {
		JsonNode value = parent.get(key);
		if (value == null || value.isNull()) {
			if (needed) throw error(path, "is missing");
			return null;
		}
		if (!value.isTextual() || value.asText().isBlank()) throw error(path, "expected a non-empty string, got " + value);
		return value.asText();
	}

	private boolean bool(JsonNode parent, String key, String path) {
		JsonNode value = parent.get(key);
		if (!value.isBoolean()) throw error(path, "expected true or false, got " + value);
		return value.asBoolean();
	}

	private Integer integer(JsonNode parent, String key, String path) {
		JsonNode value = parent.get(key);
		if (value == null || value.isNull()) return null;
		if (!value.canConvertToInt() || !value.isIntegralNumber()) throw error(path, "expected a whole number, got " + value);
		return value.asInt();
	}

	private ArrayNode array(JsonNode parent, String key, String path) {
		JsonNode value = required(parent, key, path);
		if (!(value instanceof ArrayNode list)) throw error(path, "expected a list [...], got " + kind(value));
		return list;
	}

	private ObjectNode object(JsonNode value, String path) {
		if (!(value instanceof ObjectNode o)) throw error(path, "expected an object {...}, got " + kind(value));
		return o;
	}

	private static String kind(JsonNode value) {
		return value.isTextual() ? "a string" : value.isNumber() ? "a number" : value.isArray() ? "a list"
			: value.isBoolean() ? "a boolean" : value.isNull() ? "null" : "an object";
	}

	private ParascopeException error(String path, String problem) {
		return new ParascopeException(file + ": " + path + ": " + problem);
	}
}
