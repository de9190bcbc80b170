package org.parascope.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.ParascopeException;
import org.parascope.config.Config;

/**
 * Which region a command works in, and what it says about where that came from: each source in turn
 * is taken away, from the --region option down to the default. The shared config file is a stand-in
 * in a temporary home folder, never the machine's.
 */
class RegionChoiceTest {

	@TempDir
	Path home;

	private Map<String, String> env;
	private Path sharedConfig;

	@BeforeEach
	void sharedConfig() throws Exception {
		sharedConfig = home.resolve(".aws/config");
		Files.createDirectories(sharedConfig.getParent());
		Files.writeString(sharedConfig, "[default]\nregion = ca-central-1\n\n[profile lab]\nregion = ap-southeast-2\n");
		env = new HashMap<>(Map.of("HOME", home.toString(), "AWS_REGION", "eu-west-2", "AWS_DEFAULT_REGION", "eu-central-1"));
	}

	private RegionChoice choice(String option, Config config) {
		try (AwsClients aws = new AwsClients(config, option, null, env)) {
			return aws.regionChoice();
		}
	}

	@Test
	void eachSourceInTheOrderTheAwsCliUses() throws Exception {
		Config file = Config.load(Files.writeString(home.resolve("parascope.yml"), "AWS_REGION: sa-east-1\n"), env, m -> {});
		assertEquals("us-west-2 (from --region)", choice("us-west-2", file).toString());
		assertEquals("eu-west-2 (from AWS_REGION)", choice(null, file).toString());
		env.remove("AWS_REGION");
		file = Config.load(home.resolve("parascope.yml"), env, m -> {});
		assertEquals("eu-central-1 (from AWS_DEFAULT_REGION)", choice(null, file).toString());
		env.remove("AWS_DEFAULT_REGION");
		assertEquals("sa-east-1 (from AWS_REGION in " + home.resolve("parascope.yml") + ")", choice(null, file).toString());
		assertEquals("ca-central-1 (from profile 'default' in " + sharedConfig + ")", choice(null, Config.defaults()).toString());
		assertEquals("ap-southeast-2 (from profile 'lab' in " + sharedConfig + ")",
			choice(null, Config.defaults().with(org.parascope.config.ConfigKey.AWS_PROFILE, "lab")).toString());
		Files.delete(sharedConfig);
		assertEquals("us-east-1 (from the default)", choice(null, Config.defaults()).toString());
	}

	@Test
	void awsConfigFileNamesAnotherSharedConfig() throws Exception {
		env.remove("AWS_REGION");
		env.remove("AWS_DEFAULT_REGION");
		Path elsewhere = Files.writeString(home.resolve("team-aws-config"), "[profile lab]\nregion = eu-north-1\n");
		env.put("AWS_CONFIG_FILE", elsewhere.toString());
		assertEquals("eu-north-1 (from profile 'lab' in " + elsewhere + ")",
			choice(null, Config.defaults().with(org.parascope.config.ConfigKey.AWS_PROFILE, "lab")).toString());
	}

	@Test
	void anUnknownRegionIsNamedWithItsSourceAndTheNearestRealOne() {
		env.put("AWS_DEFAULT_REGION", "us-eest-1");
		env.remove("AWS_REGION");
		var e = assertThrows(ParascopeException.class, () -> choice(null, Config.defaults()));
		assertTrue(e.getMessage().startsWith("unknown AWS region 'us-eest-1' (from AWS_DEFAULT_REGION) (did you mean us-east-1?)"),
			e.getMessage());
		// An emulator is not AWS: any name is its region.
		env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:1");
		assertEquals("us-eest-1 (from AWS_DEFAULT_REGION)", choice(null, Config.defaults()).toString());
	}

	@Test
	void aBrokenSharedConfigIsNamed() throws Exception {
		env.remove("AWS_REGION");
		env.remove("AWS_DEFAULT_REGION");
		Files.writeString(sharedConfig, "[default\nregion = eu-west-1\n");
		var e = assertThrows(ParascopeException.class, () -> choice(null, Config.defaults()));
		assertTrue(e.getMessage().startsWith(sharedConfig + ": "), e.getMessage());
	}
}
