package org.parascope.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.parascope.ParascopeException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A run's state: what start-fleet leaves for the monitor, and what the monitor and cleanup add to it. Its file
 * is DCP's monitor file ({@code MONITOR_*} keys, docs/compatibility.md §4) plus Parascope's own keys
 * ({@link RunKeys}), so that monitor reads files DCP wrote and DCP's monitor reads ours.
 * Values DCP writes as strings (the start time, CLEAN_DASHBOARD) are read either way. Where it lives is a
 * {@link RunStateStore}'s business.
 *
 * @param fleetId the Spot Fleet request id or EC2 Fleet id
 * @param extra Parascope's keys beyond DCP's (fleet kind, region, launch template, ...): absent in
 *        DCP's files, so readers must not rely on them
 */
public record RunState(String fleetId, String app, String cluster, String queue, String bucket, String logGroup,
	Instant startTime, boolean cleanDashboard, Map<String, String> extra) {

	private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	public RunState {
		extra = Map.copyOf(extra);
	}

	public static RunState read(Path file) {
		JsonNode root;
		try {
			root = JSON.readTree(file.toFile());
		}
		catch (JsonProcessingException e) {
			throw new ParascopeException(file + ": not a monitor file: " + e.getOriginalMessage());
		}
		catch (IOException e) {
			throw new ParascopeException(file + ": cannot read: " + e.getMessage());
		}
		if (root == null || !root.isObject()) throw new ParascopeException(file + ": not a monitor file: expected a JSON object");
		Map<String, String> extra = new LinkedHashMap<>();
		root.fields().forEachRemaining(f -> {
			if (!f.getKey().startsWith("MONITOR_") && !f.getKey().equals("CLEAN_DASHBOARD")) extra.put(f.getKey(), f.getValue().asText());
		});
		String start = required(root, file, "MONITOR_START_TIME");
		try {
			return new RunState(required(root, file, "MONITOR_FLEET_ID"), required(root, file, "MONITOR_APP_NAME"),
				required(root, file, "MONITOR_ECS_CLUSTER"), required(root, file, "MONITOR_QUEUE_NAME"),
				required(root, file, "MONITOR_BUCKET_NAME"), required(root, file, "MONITOR_LOG_GROUP_NAME"),
				Instant.ofEpochMilli((long) Double.parseDouble(start)),
				!root.has("CLEAN_DASHBOARD") || isTrue(root.get("CLEAN_DASHBOARD").asText()), extra);
		}
		catch (NumberFormatException e) {
			throw new ParascopeException(file + ": MONITOR_START_TIME: expected epoch milliseconds, got " + start);
		}
	}

	/** Writes the file (and its folder), replacing it whole so that a killed writer leaves the old one. */
	public void write(Path file) {
		ObjectNode root = JSON.createObjectNode();
		root.put("MONITOR_FLEET_ID", fleetId).put("MONITOR_APP_NAME", app).put("MONITOR_ECS_CLUSTER", cluster)
			.put("MONITOR_QUEUE_NAME", queue).put("MONITOR_BUCKET_NAME", bucket).put("MONITOR_LOG_GROUP_NAME", logGroup)
			.put("MONITOR_START_TIME", startTime.toEpochMilli()).put("CLEAN_DASHBOARD", cleanDashboard ? "True" : "False");
		extra.forEach(root::put);
		try {
			Files.createDirectories(file.toAbsolutePath().getParent());
			Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
			JSON.writeValue(temp.toFile(), root);
			Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
				java.nio.file.StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException e) {
			throw new ParascopeException(file + ": cannot write the monitor file: " + e.getMessage());
		}
	}

	/** A copy with one of Parascope's own keys set. */
	public RunState with(String key, String value) {
		Map<String, String> more = new LinkedHashMap<>(extra);
		more.put(key, value);
		return new RunState(fleetId, app, cluster, queue, bucket, logGroup, startTime, cleanDashboard, more);
	}

	/** "spot-fleet" or "ec2-fleet" as start-fleet recorded it; DCP's files do not say (their fleets are Spot Fleets). */
	public Optional<String> fleetKind() {
		return key(RunKeys.FLEET_KIND);
	}

	/** The region start-fleet ran in; DCP's files do not say. */
	public Optional<String> region() {
		return key(RunKeys.AWS_REGION);
	}

	/** The launch template start-fleet made for the fleet; none in DCP's files. */
	public Optional<String> launchTemplateId() {
		return key(RunKeys.LAUNCH_TEMPLATE_ID);
	}

	/** The queue's dead-letter queue; DCP's files name none. */
	public Optional<String> deadLetterQueue() {
		return key(RunKeys.SQS_DEAD_LETTER_QUEUE);
	}

	/** Whether the run was torn down, by a monitor or by cleanup: it stays finished. */
	public boolean tornDown() {
		return RunKeys.DONE_VALUE.equals(extra.get(RunKeys.TEARDOWN));
	}

	/** Whether a teardown began and did not finish: whoever watches the run next finishes it. */
	public boolean teardownStarted() {
		return RunKeys.STARTED.equals(extra.get(RunKeys.TEARDOWN));
	}

	/** When the run was torn down; empty when not, or when the time was edited into something else. */
	public Optional<Instant> tornDownAt() {
		try {
			return key(RunKeys.TEARDOWN_AT).map(at -> Instant.ofEpochMilli(Long.parseLong(at)));
		}
		catch (NumberFormatException e) {
			return Optional.empty(); // the time is for people only; it does not change that the run is finished
		}
	}

	/** A copy that says a teardown began. */
	public RunState teardownBegun() {
		return with(RunKeys.TEARDOWN, RunKeys.STARTED);
	}

	/** A copy that says the run was torn down at {@code at}: the one way a run is marked finished. */
	public RunState markedTornDown(Instant at) {
		return with(RunKeys.TEARDOWN, RunKeys.DONE_VALUE).with(RunKeys.TEARDOWN_AT, Long.toString(at.toEpochMilli()));
	}

	/** The S3 location of the state a detached monitor works on, when one took the run over. */
	public Optional<String> detachedState() {
		return key(RunKeys.DETACHED_STATE);
	}

	/** The ECS service that runs the detached monitor, when one took the run over. */
	public Optional<String> detachedService() {
		return key(RunKeys.DETACHED_SERVICE);
	}

	/** A copy that names the detached monitor: its ECS service and the S3 location of its state. */
	public RunState withDetachedMonitor(String service, String stateLocation) {
		return with(RunKeys.DETACHED_STATE, stateLocation).with(RunKeys.DETACHED_SERVICE, service);
	}

	private Optional<String> key(String key) {
		return Optional.ofNullable(extra.get(key));
	}

	private static String required(JsonNode root, Path file, String key) {
		JsonNode value = root.get(key);
		if (value == null || value.isNull()) throw new ParascopeException(file + ": " + key + " is missing");
		return value.asText();
	}

	private static boolean isTrue(String value) {
		return value.equalsIgnoreCase("true");
	}
}
