package org.parascope.trace;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Which machine a worker process runs on, once at start: the instance id, type and zone from the
 * instance metadata service with IMDSv2 only (a token from PUT /latest/api/token first; never the
 * token-less IMDSv1). In the fleet's containers the service does not answer (hop limit 1, see
 * docs/worker.md): the zone then comes from ECS's task metadata ({@code ECS_CONTAINER_METADATA_URI_V4}),
 * and the machine is known by its host name.
 */
public final class MachineIdentity {

	private static final Duration TIMEOUT = Duration.ofSeconds(2);
	private static final JsonMapper JSON = JsonMapper.builder().build();

	private MachineIdentity() {}

	/** @param imds the metadata service, empty when AWS_EC2_METADATA_DISABLED */
	public static Machine detect(Optional<URI> imds, Map<String, String> env) {
		String host = hostName();
		String pid = Long.toString(ProcessHandle.current().pid());
		HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
		String instance = null, type = null, zone = null;
		if (imds.isPresent()) {
			Optional<String> token = send(http, HttpRequest.newBuilder(imds.get().resolve("/latest/api/token"))
				.header("X-aws-ec2-metadata-token-ttl-seconds", "60").PUT(HttpRequest.BodyPublishers.noBody()));
			if (token.isPresent()) {
				instance = metadata(http, imds.get(), token.get(), "instance-id");
				type = metadata(http, imds.get(), token.get(), "instance-type");
				zone = metadata(http, imds.get(), token.get(), "placement/availability-zone");
			}
		}
		String ecs = env.get("ECS_CONTAINER_METADATA_URI_V4");
		if (zone == null && ecs != null && !ecs.isBlank()) {
			Optional<String> task = send(http, HttpRequest.newBuilder(URI.create(ecs + "/task")).GET());
			if (task.isPresent()) {
				try {
					JsonNode n = JSON.readTree(task.get());
					if (n.hasNonNull("AvailabilityZone")) zone = n.get("AvailabilityZone").asText();
				}
				catch (IOException e) {
					// Not JSON: the zone stays unknown.
				}
			}
		}
		String machine = instance != null ? instance : host;
		String started = Long.toString(ProcessHandle.current().info().startInstant().map(i -> i.toEpochMilli()).orElse(0L));
		return new Machine(machine + "-" + pid + "-" + started, machine, type, zone);
	}

	private static String metadata(HttpClient http, URI base, String token, String path) {
		return send(http, HttpRequest.newBuilder(base.resolve("/latest/meta-data/" + path))
			.header("X-aws-ec2-metadata-token", token).GET()).orElse(null);
	}

	private static Optional<String> send(HttpClient http, HttpRequest.Builder request) {
		try {
			HttpResponse<String> r = http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
			return r.statusCode() == 200 && !r.body().isBlank() ? Optional.of(r.body().strip()) : Optional.empty();
		}
		catch (IOException | IllegalArgumentException e) {
			return Optional.empty();
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return Optional.empty();
		}
	}

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (IOException e) {
			return "unknown-host";
		}
	}
}
