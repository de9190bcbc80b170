package org.parascope.aws.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.Parascope;
import org.parascope.aws.AwsClients;
import org.parascope.aws.MotoServer;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;
import org.parascope.store.TransferListener;
import org.parascope.store.Upload;

/** The facade's transfers for the Fiji face: upload what is missing, download a job's results. */
@ExtendWith(MotoServer.class)
class ResultsDownloadTest {

	@TempDir
	Path tmp;

	@Test
	void uploadSkipsWhatIsThereAndDownloadFetchesOnlyTheJobsResults() throws Exception {
		Config config = Config.defaults().with(ConfigKey.AWS_BUCKET, "lab");
		try (AwsClients aws = new AwsClients(config, null, MotoServer.env()); Parascope parascope = new Parascope(config, aws)) {
			aws.s3().createBucket(b -> b.bucket("lab"));
			Path a = Files.writeString(tmp.resolve("a.csv"), "1\n");
			Path b = Files.writeString(tmp.resolve("b.csv"), "22\n");
			Map<String, Path> results = Map.of("out/job1/A01/a.csv", a, "out/job1/A02/b.csv", b, "out/job10/x.csv", a);
			assertEquals(new Upload.Result(3, 0, 7), parascope.upload(ConfigKey.DESTINATION_BUCKET, results, TransferListener.NONE));
			assertEquals(new Upload.Result(0, 3, 0), parascope.upload(ConfigKey.DESTINATION_BUCKET, results, TransferListener.NONE));

			Path into = tmp.resolve("results");
			List<String> keys = parascope.download("out/job1", into, TransferListener.NONE);
			assertEquals(List.of("out/job1/A01/a.csv", "out/job1/A02/b.csv"), keys.stream().sorted().toList());
			assertEquals("22\n", Files.readString(into.resolve("A02/b.csv")));
		}
	}
}
