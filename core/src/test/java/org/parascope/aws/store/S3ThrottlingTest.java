package org.parascope.aws.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.aws.AwsClients;
import org.parascope.aws.MotoServer;
import org.parascope.aws.ThrottlingProxy;
import org.parascope.config.Config;

/**
 * S3 throttling (503 SlowDown) is retried, not passed on as a failed task: through the CRT transfer
 * client (uploads, downloads) and the SDK client (listings), each behind {@link ThrottlingProxy},
 * because the emulator itself never throttles.
 */
@ExtendWith(MotoServer.class)
class S3ThrottlingTest {

	@TempDir
	Path tmp;

	@Test
	void throttledTransfersAndListingsAreRetriedUntilTheyGoThrough() throws Exception {
		try (AwsClients direct = new AwsClients(Config.defaults(), null, MotoServer.env())) {
			direct.s3().createBucket(b -> b.bucket("data"));
		}
		Map<String, Path> up = new LinkedHashMap<>();
		for (String well : List.of("A01", "A02", "B01")) up.put("out/" + well + ".csv", Files.writeString(tmp.resolve(well), "well," + well + "\n"));
		try (ThrottlingProxy proxy = new ThrottlingProxy(MotoServer.endpoint(), ThrottlingProxy.S3_SLOW_DOWN, 3);
			AwsClients aws = new AwsClients(Config.defaults(), proxy.endpoint(), MotoServer.env()))
		{
			S3ObjectStore store = S3ObjectStore.of(aws, "data");
			store.putAll(up, (key, bytes) -> {});
			assertEquals(3, proxy.throttled(), "the first three requests were throttled");

			proxy.throttleNext(2);
			assertEquals(List.of("out/A01.csv", "out/A02.csv", "out/B01.csv"), store.list("out/").map(o -> o.key()).sorted().toList());
			proxy.throttleNext(2);
			store.get("out/B01.csv", tmp.resolve("back.csv"));
			assertEquals("well,B01\n", Files.readString(tmp.resolve("back.csv")));
			assertEquals(7, proxy.throttled());
			assertTrue(proxy.forwarded() >= 5, "every call went through in the end: " + proxy.forwarded());
		}
	}
}
