package org.parascope.aws;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.parascope.ParascopeException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What start-fleet leaves for monitor: DCP's monitor file ({@code MONITOR_*} keys, docs/compatibility.md §4) plus
 * Parascope's own keys, so that monitor reads files DCP wrote and DCP's monitor reads ours.
 * Values DCP writes as strings (the start time, CLEAN_DASHBOARD) are read either way.
 *
 * @param fleetId the Spot Fleet request id or EC2 Fleet id
 * @param extra Parascope's keys beyond DCP's (fleet kind, region, launch template, ...): absent in
 *        DCP's files, so readers must not rely on them
 */
public record StateFile(String fleetId, String app, String cluster, String queue, String bucket, String logGroup,
	Instant startTime, boolean cleanDashboard, Map<String, String> extra) {

	private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	public StateFile {
		extra = Map.copyOf(extra);
	}

	public static StateFile read(Path file) {
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
			return new StateFile(required(root, file, "MONITOR_FLEET_ID"), required(root, file, "MONITOR_APP_NAME"),
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
	public StateFile with(String key, String value) {
		Map<String, String> more = new LinkedHashMap<>(extra);
		more.put(key, value);
		return new StateFile(fleetId, app, cluster, queue, bucket, logGroup, startTime, cleanDashboard, more);
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
