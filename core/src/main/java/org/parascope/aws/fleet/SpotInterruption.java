package org.parascope.aws.fleet;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Asks the instance metadata service whether EC2 is about to reclaim this spot instance, with
 * IMDSv2 only: a session token (PUT /latest/api/token) then GET
 * /latest/meta-data/spot/instance-action, which is 404 until a notice exists (about two minutes
 * before the instance stops). Each call returns the notice's JSON, or empty.
 *
 * <p>In a container on a machine whose metadata hop limit is 1 (what start-fleet sets) the service
 * does not answer: then ECS's spot draining stops the container instead (SIGTERM), see
 * docs/worker.md. A service that does not answer is reported once, not at every poll.
 */
public final class SpotInterruption implements Supplier<Optional<String>> {

	/** How long a token lives; one is fetched per poll, so a short life is enough. */
	private static final String TOKEN_TTL_SECONDS = "60";
	/** The service answers at once on a machine; a longer wait means it is not there. */
	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	private final URI base;
	private final Consumer<String> notes;
	private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
	private boolean unreachableSaid;

	/** @param base the metadata service, e.g. http://169.254.169.254 (see {@link AwsClients#metadataEndpoint()}) */
	public SpotInterruption(URI base, Consumer<String> notes) {
		this.base = base;
		this.notes = notes;
	}

	/** The interruption notice (JSON such as {"action": "terminate", "time": ...}), or empty. */
	@Override
	public synchronized Optional<String> get() {
		try {
			HttpResponse<String> token = http.send(HttpRequest.newBuilder(base.resolve("/latest/api/token")).timeout(TIMEOUT)
				.header("X-aws-ec2-metadata-token-ttl-seconds", TOKEN_TTL_SECONDS)
				.PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
			if (token.statusCode() != 200) return unreachable("the token request was answered " + token.statusCode());
			HttpResponse<String> action = http.send(HttpRequest.newBuilder(base.resolve("/latest/meta-data/spot/instance-action"))
				.timeout(TIMEOUT).header("X-aws-ec2-metadata-token", token.body()).GET().build(),
				HttpResponse.BodyHandlers.ofString());
			unreachableSaid = false;
			if (action.statusCode() == 404) return Optional.empty();
			if (action.statusCode() != 200) return unreachable("the spot notice was answered " + action.statusCode());
			return Optional.of(action.body().strip());
		}
		catch (IOException e) {
			return unreachable(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return Optional.empty();
		}
	}

	private Optional<String> unreachable(String why) {
		if (!unreachableSaid) {
			notes.accept("spot interruption notices cannot be read from the instance metadata service at " + base + " (" + why
				+ "); asking again every few seconds, said once");
			unreachableSaid = true;
		}
		return Optional.empty();
	}
}
