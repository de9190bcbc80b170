package org.parascope.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.ParascopeException;
import org.parascope.config.Config;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.transfer.s3.model.DownloadFileRequest;

@ExtendWith(MotoServer.class)
class AwsClientsTest {

	@Test
	void serviceVariablesBeatTheGeneralOneAndTheOptionBeatsBoth() {
		Map<String, String> env = Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:1", "AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:2");
		try (AwsClients clients = new AwsClients(Config.defaults(), null, env)) {
			assertEquals(Optional.of(URI.create("http://127.0.0.1:2")), clients.endpoint("SQS"));
			assertEquals(Optional.of(URI.create("http://127.0.0.1:1")), clients.endpoint("S3"));
		}
		try (AwsClients clients = new AwsClients(Config.defaults(), URI.create("http://127.0.0.1:3"), env)) {
			assertEquals(Optional.of(URI.create("http://127.0.0.1:3")), clients.endpoint("SQS"));
		}
		try (AwsClients clients = new AwsClients(Config.defaults(), null, Map.of())) {
			assertEquals(Optional.empty(), clients.endpoint("SQS"));
		}
	}

	@Test
	void aMalformedEndpointIsAnInputErrorNamingTheVariable() {
		var e = assertThrows(ParascopeException.class,
			() -> new AwsClients(Config.defaults(), null, Map.of("AWS_ENDPOINT_URL_SQS", "localhost:9324")));
		assertTrue(e.getMessage().startsWith("AWS_ENDPOINT_URL_SQS: expected an http:// or https:// URL"), e.getMessage());
	}

	@Test
	void clientsReachTheEmulatorThroughTheEnvironment(@TempDir Path dir) throws Exception {
		try (AwsClients clients = new AwsClients(Config.defaults(), null, MotoServer.env())) {
			clients.sqs().createQueue(b -> b.queueName("q"));
			assertEquals(1, clients.sqs().listQueues().queueUrls().size());

			clients.s3().createBucket(b -> b.bucket("data"));
			clients.s3().putObject(b -> b.bucket("data").key("a/b.txt"), RequestBody.fromString("hello"));
			Path copy = dir.resolve("b.txt");
			clients.transfer().downloadFile(DownloadFileRequest.builder().destination(copy)
				.getObjectRequest(b -> b.bucket("data").key("a/b.txt")).build()).completionFuture().join();
			assertEquals("hello", Files.readString(copy));
		}
	}
}
