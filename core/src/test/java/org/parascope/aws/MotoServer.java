package org.parascope.aws;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.Store.CloseableResource;

/**
 * The AWS API emulator of the tests: a real moto server (from the project's .venv, installed by
 * ./run-tests) on a free loopback port, started once per test JVM, reset before every test and
 * stopped when the JVM's tests end. Use with {@code @ExtendWith(MotoServer.class)} and read
 * {@link #endpoint()} / {@link #env()}.
 *
 * <p>A missing moto_server fails the test: in CI the emulator is part of the build, never optional.
 */
public final class MotoServer implements BeforeAllCallback, BeforeEachCallback {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
	private static Running running;

	/** The emulator's address, e.g. http://127.0.0.1:41234. */
	public static URI endpoint() {
		if (running == null) throw new IllegalStateException("use @ExtendWith(MotoServer.class)");
		return running.endpoint;
	}

	/** The environment a parascope process needs to talk to the emulator: endpoint and fake credentials. */
	public static Map<String, String> env() {
		return Map.of("AWS_ENDPOINT_URL", endpoint().toString(), "AWS_ACCESS_KEY_ID", "testing",
			"AWS_SECRET_ACCESS_KEY", "testing", "AWS_REGION", "us-east-1");
	}

	/** For a harness outside JUnit (a benchmark): starts the emulator as the extension does, until closed. */
	public static synchronized AutoCloseable startOutsideJUnit() throws IOException, InterruptedException {
		running = Running.start();
		System.setProperty("aws.accessKeyId", "testing");
		System.setProperty("aws.secretAccessKey", "testing");
		return running;
	}

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		synchronized (MotoServer.class) {
			if (running == null) {
				running = Running.start();
				context.getRoot().getStore(Namespace.GLOBAL).put(MotoServer.class, running);
				// The SDK's default credential chain reads these in this JVM; the keys are the emulator's.
				System.setProperty("aws.accessKeyId", "testing");
				System.setProperty("aws.secretAccessKey", "testing");
			}
		}
	}

	@Override
	public void beforeEach(ExtensionContext context) throws Exception {
		HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(endpoint().resolve("/moto-api/reset"))
			.POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
		if (r.statusCode() != 200) throw new IllegalStateException("moto reset failed: " + r.statusCode() + " " + r.body());
	}

	private static final class Running implements CloseableResource, AutoCloseable {
		final Process process;
		final URI endpoint;

		Running(Process process, URI endpoint) {
			this.process = process;
			this.endpoint = endpoint;
		}

		static Running start() throws IOException, InterruptedException {
			Path executable = locate();
			int port;
			try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
				port = socket.getLocalPort();
			}
			Path log = Files.createTempFile("moto-server", ".log");
			ProcessBuilder pb = new ProcessBuilder(List.of(executable.toString(), "-H", "127.0.0.1", "-p",
				Integer.toString(port)));
			pb.environment().put("MOTO_IAM_LOAD_MANAGED_POLICIES", "true");
			pb.redirectErrorStream(true).redirectOutput(log.toFile());
			Process process = pb.start();
			URI endpoint = URI.create("http://127.0.0.1:" + port);
			Running r = new Running(process, endpoint);
			for (int i = 0; i < 600; i++) {
				if (!process.isAlive()) {
					throw new IllegalStateException("moto_server exited with " + process.exitValue() + ":\n"
						+ Files.readString(log));
				}
				try {
					HTTP.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/data.json")).build(),
						HttpResponse.BodyHandlers.discarding());
					return r;
				}
				catch (IOException notYet) {
					Thread.sleep(100);
				}
			}
			r.close();
			throw new IllegalStateException("moto_server did not answer on " + endpoint + " within 60 s; log: " + log);
		}

		/** The system property parascope.moto, else .venv/bin/moto_server in this folder or one above. */
		static Path locate() {
			Optional<Path> configured = Optional.ofNullable(System.getProperty("parascope.moto")).map(Path::of);
			if (configured.isPresent()) return configured.get();
			for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
				Path candidate = dir.resolve(".venv/bin/moto_server".replace('/', File.separatorChar));
				if (Files.isExecutable(candidate)) return candidate;
			}
			throw new IllegalStateException("moto_server not found in .venv: run ./run-tests, which creates "
				+ ".venv and installs requirements-test.txt (or set -Dparascope.moto=/path/to/moto_server)");
		}

		@Override
		public void close() {
			process.destroy();
			try {
				if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
			}
			catch (InterruptedException e) {
				process.destroyForcibly();
				Thread.currentThread().interrupt();
			}
			running = null;
		}
	}
}
