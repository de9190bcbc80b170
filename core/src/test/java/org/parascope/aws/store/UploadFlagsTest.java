package org.parascope.aws.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.aws.AwsClients;
import org.parascope.aws.MotoServer;
import org.parascope.config.Config;
import org.parascope.config.ConfigException;

import software.amazon.awssdk.services.s3.model.Permission;

/** UPLOAD_FLAGS as DCP users write them reach S3 as request fields; what cannot be honoured is refused. */
@ExtendWith(MotoServer.class)
class UploadFlagsTest {

	@TempDir
	Path dir;

	@Test
	void aclMetadataAndContentTypeReachTheStoredObject() throws Exception {
		try (AwsClients aws = new AwsClients(Config.defaults(), null, MotoServer.env())) {
			aws.s3().createBucket(b -> b.bucket("flags"));
			S3ObjectStore store = S3ObjectStore.of(aws, "flags").withUploadFlags(
				"--acl bucket-owner-full-control --metadata-directive REPLACE --content-type text/csv "
					+ "--metadata 'plate=P 1,run=7' --only-show-errors");
			store.put("out/a.csv", Files.writeString(dir.resolve("a.csv"), "x\n1\n"));

			var head = aws.s3().headObject(b -> b.bucket("flags").key("out/a.csv"));
			assertEquals("text/csv", head.contentType());
			assertEquals(Map.of("plate", "P 1", "run", "7"), head.metadata());
			var grants = aws.s3().getObjectAcl(b -> b.bucket("flags").key("out/a.csv")).grants();
			assertTrue(grants.stream().anyMatch(g -> g.permission() == Permission.FULL_CONTROL), grants.toString());
		}
	}

	@Test
	void unknownOptionsAndValuesAreConfigErrorsNamingThem() {
		ConfigException unknown = assertThrows(ConfigException.class, () -> UploadFlags.parse("--acl private --recursive"));
		assertTrue(unknown.getMessage().startsWith("UPLOAD_FLAGS: unknown option --recursive (accepted: --acl"), unknown.getMessage());
		ConfigException acl = assertThrows(ConfigException.class, () -> UploadFlags.parse("--acl owner-only"));
		assertTrue(acl.getMessage().startsWith("UPLOAD_FLAGS: --acl: unknown value 'owner-only' (one of: "), acl.getMessage());
		ConfigException value = assertThrows(ConfigException.class, () -> UploadFlags.parse("--storage-class"));
		assertEquals("UPLOAD_FLAGS: --storage-class needs a value", value.getMessage());
	}
}
