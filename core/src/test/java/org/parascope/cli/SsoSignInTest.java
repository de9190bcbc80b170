package org.parascope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.aws.AwsClients;
import org.parascope.aws.MotoServer;
import org.parascope.aws.TestQueues;
import org.parascope.config.Config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * IAM Identity Center (SSO) profiles, as 'aws configure sso' writes them and 'aws sso login' leaves
 * its token in ~/.aws/sso/cache, both the sso_session form and the legacy sso_start_url one.
 *
 * <p>Each command runs in a JVM of its own: the SDK finds the token cache under the HOME of the process
 * (read once per JVM), and the test's home is a temporary folder, never the machine's. The calls to
 * SQS go to the emulator. The SSO portal's GetRoleCredentials, which turns the cached token into role
 * credentials, is a stand-in here: moto (5.2.5) serves sso-admin but not the portal API (it takes
 * GET /federation/credentials for an S3 bucket named 'federation'), and no other real part can answer it. The stand-in answers as the portal's API reference says and records what
 * it was asked.
 */
@ExtendWith(MotoServer.class)
class SsoSignInTest {

	private static final JsonMapper JSON = new JsonMapper();
	private static final String START_URL = "https://example.awsapps.com/start";

	@TempDir
	Path dir;

	private Path home;
	private HttpServer portal;
	private final List<String> asked = new CopyOnWriteArrayList<>();

	@BeforeEach
	void signIn() throws Exception {
		home = Files.createDirectories(dir.resolve("home"));
		Files.createDirectories(home.resolve(".aws/sso/cache"));
		Files.writeString(home.resolve(".aws/config"), """
			[profile lab]
			sso_session = lab-sso
			sso_account_id = 111122223333
			sso_role_name = Analyst
			region = eu-west-1

			[sso-session lab-sso]
			sso_region = us-east-1
			sso_start_url = %s
			sso_registration_scopes = sso:account:access

			[profile legacy]
			sso_start_url = %s
			sso_region = us-east-1
			sso_account_id = 111122223333
			sso_role_name = Analyst
			region = eu-west-1
			""".formatted(START_URL, START_URL));
		Files.writeString(dir.resolve("config.py"), "APP_NAME = 'Lab'\n");
		try (AwsClients aws = new AwsClients(Config.defaults(), "eu-west-1", null, MotoServer.env())) {
			TestQueues.create(aws.sqs(), "LabQueue", "LabDeadMessages", 3, Duration.ofSeconds(60));
		}
		portal = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		portal.createContext("/federation/credentials", exchange -> {
			String query = String.join("&", new java.util.TreeSet<>(List.of(exchange.getRequestURI().getQuery().split("&"))));
			asked.add(query + " token=" + exchange.getRequestHeaders().getFirst("x-amz-sso_bearer_token"));
			byte[] body = ("{\"roleCredentials\": {\"accessKeyId\": \"ASIASTANDIN\", \"secretAccessKey\": \"stand-in-secret\", "
				+ "\"sessionToken\": \"stand-in-session\", \"expiration\": " + Instant.now().plusSeconds(3600).toEpochMilli() + "}}")
				.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		portal.start();
	}

	@AfterEach
	void stop() {
		portal.stop(0);
	}

	/** A token as 'aws sso login' caches it: the file is named after the SHA-1 of the session name or start URL. */
	private void cacheToken(String key, String token, Instant expires) throws Exception {
		String name = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(key.getBytes(StandardCharsets.UTF_8)));
		Files.writeString(home.resolve(".aws/sso/cache/" + name + ".json"), JSON.createObjectNode()
			.put("accessToken", token).put("expiresAt", expires.toString()).put("region", "us-east-1")
			.put("startUrl", START_URL).toString());
	}

	private record Child(int exit, String out, String err) {}

	/** {@code parascope --config config.py ARGS} in its own JVM, with the temporary home and no AWS keys. */
	private Child parascope(String... args) throws IOException, InterruptedException {
		List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
			"-cp", System.getProperty("java.class.path"), Main.class.getName(), "--config", "config.py"));
		command.addAll(List.of(args));
		ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
		Map<String, String> env = pb.environment();
		env.keySet().removeIf(k -> k.startsWith("AWS_"));
		env.putAll(Map.of("HOME", home.toString(), "AWS_ENDPOINT_URL_SQS", MotoServer.endpoint().toString(),
			"AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:" + portal.getAddress().getPort(),
			// Not on EC2: the SDK's last resort, the instance metadata, would only be waited for.
			"AWS_EC2_METADATA_DISABLED", "true"));
		Path out = dir.resolve("out.txt"), err = dir.resolve("err.txt");
		Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
		if (!p.waitFor(2, TimeUnit.MINUTES)) {
			p.destroyForcibly();
			throw new AssertionError("parascope did not end: " + Files.readString(err));
		}
		return new Child(p.exitValue(), Files.readString(out), Files.readString(err));
	}

	@Test
	void anSsoSessionProfileSignsInWithTheCachedTokenAndItsRegion() throws Exception {
		cacheToken("lab-sso", "token-from-aws-sso-login", Instant.now().plus(Duration.ofHours(8)));

		Child c = parascope("--profile", "lab", "status", "--json");

		assertEquals(0, c.exit(), c.out() + c.err());
		JsonNode status = JSON.readTree(c.out());
		assertEquals("eu-west-1", status.path("region").asText());
		assertEquals("LabQueue", status.path("queue").path("name").asText());
		assertEquals(List.of("account_id=111122223333&role_name=Analyst token=token-from-aws-sso-login"), asked);
		assertTrue(c.err().contains("region eu-west-1 (from profile 'lab' in " + home.resolve(".aws/config") + ")"), c.err());
	}

	@Test
	void theLegacyStartUrlFormSignsInToo() throws Exception {
		cacheToken(START_URL, "legacy-token", Instant.now().plus(Duration.ofHours(8)));

		Child c = parascope("--profile", "legacy", "status", "--json");

		assertEquals(0, c.exit(), c.out() + c.err());
		assertEquals(List.of("account_id=111122223333&role_name=Analyst token=legacy-token"), asked);
	}

	@Test
	void anExpiredSsoSessionSaysToSignInAgainAndKeepsTheSdksReason() throws Exception {
		cacheToken(START_URL, "old-token", Instant.now().minus(Duration.ofHours(1)));

		Child c = parascope("--profile", "legacy", "status", "--json");

		assertEquals(Main.BAD_INPUT, c.exit(), c.out() + c.err());
		String error = JSON.readTree(c.out()).path("error").asText();
		assertTrue(error.contains("signs in through IAM Identity Center (SSO, sso_start_url " + START_URL + ")")
			&& error.contains("'aws sso login --profile legacy' signs in again"), error);
		assertTrue(error.contains("The SSO session associated with this profile has expired"), "the SDK's own reason: " + error);
		assertFalse(error.contains("no credentials for profile") || error.contains("must be on the class path"), error);
		assertEquals(List.of(), asked, "no portal call with an expired token");
	}
}
