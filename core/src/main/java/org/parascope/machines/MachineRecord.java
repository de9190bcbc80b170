package org.parascope.machines;

import java.time.Instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One machine of a fleet, one JSON line of {@code machines/<fleet id>.jsonl} (docs/trace.md).
 *
 * @param instanceId   the EC2 instance id
 * @param lifecycle    {@link #SPOT} or {@link #ON_DEMAND}
 * @param launch       when EC2 launched it
 * @param firstSeen    the monitor's first reading that listed it
 * @param lastSeen     its last reading that listed it (refreshed in the file every {@link MachineLog#REFRESH})
 * @param end          the first reading that no longer listed it, or the teardown; null while it runs
 */
public record MachineRecord(String instanceId, String instanceType, String zone, String lifecycle, Instant launch,
	Instant firstSeen, Instant lastSeen, Instant end) {

	public static final String SPOT = "spot", ON_DEMAND = "on-demand";
	private static final JsonMapper JSON = new JsonMapper();

	public boolean isSpot() {
		return SPOT.equals(lifecycle);
	}

	MachineRecord seen(Instant at) {
		return new MachineRecord(instanceId, instanceType, zone, lifecycle, launch, firstSeen, at, end);
	}

	MachineRecord ended(Instant at) {
		return new MachineRecord(instanceId, instanceType, zone, lifecycle, launch, firstSeen, lastSeen, at);
	}

	/** One JSON object, no line break. */
	public String toJson() {
		ObjectNode o = JSON.createObjectNode().put("instanceId", instanceId).put("instanceType", instanceType)
			.put("zone", zone).put("lifecycle", lifecycle);
		o.put("launch", text(launch)).put("firstSeen", text(firstSeen)).put("lastSeen", text(lastSeen)).put("end", text(end));
		return o.toString();
	}

	/** Reads one line; throws IllegalArgumentException naming what is wrong. */
	public static MachineRecord parse(String line) {
		JsonNode o;
		try {
			o = JSON.readTree(line);
		}
		catch (JsonProcessingException e) {
			throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
		}
		if (o == null || !o.isObject()) throw new IllegalArgumentException("not a JSON object");
		String id = string(o, "instanceId");
		if (id == null) throw new IllegalArgumentException("no instanceId");
		Instant launch = time(o, "launch"), firstSeen = time(o, "firstSeen");
		if (firstSeen == null) throw new IllegalArgumentException("no firstSeen");
		String lifecycle = string(o, "lifecycle");
		if (lifecycle != null && !lifecycle.equals(SPOT) && !lifecycle.equals(ON_DEMAND)) {
			throw new IllegalArgumentException("lifecycle is " + lifecycle + ", not " + SPOT + " or " + ON_DEMAND);
		}
		Instant lastSeen = time(o, "lastSeen");
		return new MachineRecord(id, string(o, "instanceType"), string(o, "zone"), lifecycle,
			launch == null ? firstSeen : launch, firstSeen, lastSeen == null ? firstSeen : lastSeen, time(o, "end"));
	}

	private static String string(JsonNode o, String field) {
		JsonNode v = o.get(field);
		return v == null || v.isNull() ? null : v.asText();
	}

	private static Instant time(JsonNode o, String field) {
		String s = string(o, field);
		try {
			return s == null ? null : Instant.parse(s);
		}
		catch (java.time.format.DateTimeParseException e) {
			throw new IllegalArgumentException(field + " is not an ISO-8601 time: " + s);
		}
	}

	private static String text(Instant t) {
		return t == null ? null : t.toString();
	}
}
