package org.parascope.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parascope.config.ConfigKey.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.ParascopeException;

/** parascope.yml / parascope.json, the environment, discovery, defaults and typed access. */
class ConfigTest {

	@TempDir
	Path dir;

	final List<String> warnings = new ArrayList<>();

	@Test
	void defaultsFollowCompatTable() {
		Config config = Config.defaults();

		assertEquals("DistributedCP", config.string(APP_NAME));
		assertEquals("DistributedCP", config.string(LOG_GROUP_NAME));
		assertEquals("DistributedCPQueue", config.string(SQS_QUEUE_NAME));
		assertEquals("DistributedCPDeadMessages", config.string(SQS_DEAD_LETTER_QUEUE));
		assertEquals(4096, config.integer(CPU_SHARES));
		assertEquals(10, config.integer(JOB_RETRIES));
		assertEquals(List.of("m5.xlarge"), config.list(MACHINE_TYPE));
		assertEquals(0.20, config.decimal(MACHINE_PRICE));
		assertTrue(config.bool(ASSIGN_IP));
		assertFalse(config.bool(DOWNLOAD_FILES));
		assertEquals(Optional.empty(), config.source());
	}

	@Test
	void keysWithoutDefaultSayHowToSetThem() {
		Config config = Config.defaults();

		assertFalse(config.has(AWS_BUCKET));
		assertFalse(config.has(SOURCE_BUCKET)); // its fallback, AWS_BUCKET, is not set either
		assertTrue(config.has(APP_NAME));
		ConfigException e = assertThrows(ConfigException.class, () -> config.string(AWS_BUCKET));
		assertEquals("AWS_BUCKET is not set: add it to parascope.yml or set the environment variable AWS_BUCKET",
			e.getMessage());
	}

	@Test
	void readsYaml() throws IOException {
		Path file = write("parascope.yml", """
			# one run of plate 7
			APP_NAME: Plate7
			AWS_BUCKET: lab-images
			DESTINATION_BUCKET: lab-results
			DOCKER_CORES: 8
			MACHINE_TYPE: [m5.xlarge, c5.2xlarge]
			MACHINE_PRICE: 0.5
			DOWNLOAD_FILES: true
			ASSIGN_IP: 'FALSE'
			EBS_VOL_SIZE: "40"
			SQS_DEAD_LETTER_QUEUE: arn:aws:sqs:us-east-1:111111100000:Plate7Dead
			""");

		Config config = Config.load(file, Map.of(), warnings::add);

		assertEquals(Optional.of(file), config.source());
		assertEquals("Plate7Queue", config.string(SQS_QUEUE_NAME));
		assertEquals("Plate7", config.string(LOG_GROUP_NAME));
		assertEquals("lab-images", config.string(SOURCE_BUCKET));
		assertEquals("lab-images", config.string(WORKSPACE_BUCKET));
		assertEquals("lab-results", config.string(DESTINATION_BUCKET));
		assertEquals(8192, config.integer(CPU_SHARES));
		assertEquals(List.of("m5.xlarge", "c5.2xlarge"), config.list(MACHINE_TYPE));
		assertEquals(0.5, config.decimal(MACHINE_PRICE));
		assertTrue(config.bool(DOWNLOAD_FILES));
		assertFalse(config.bool(ASSIGN_IP));
		assertEquals(40, config.integer(EBS_VOL_SIZE));
		assertEquals("Plate7Dead", config.string(SQS_DEAD_LETTER_QUEUE));
		assertEquals(List.of(), warnings);
	}

	@Test
	void readsJson() throws IOException {
		Path file = write("parascope.json", """
			{
			  "APP_NAME": "Plate7",
			  "MACHINE_TYPE": "m5.2xlarge",
			  "JOB_RETRIES": 3,
			  "USE_PLUGINS": "True",
			  "SOURCE_BUCKET": "False",
			  "AWS_BUCKET": "lab-images"
			}
			""");

		Config config = Config.load(file, Map.of(), warnings::add);

		assertEquals("Plate7Queue", config.string(SQS_QUEUE_NAME));
		assertEquals(List.of("m5.2xlarge"), config.list(MACHINE_TYPE)); // one string is a one-element list
		assertEquals(3, config.integer(JOB_RETRIES));
		assertTrue(config.bool(USE_PLUGINS));
		assertEquals("lab-images", config.string(SOURCE_BUCKET)); // 'False' is DCP's "use AWS_BUCKET"
		assertEquals(List.of(), warnings);
	}

	@Test
	void warnsOfUnknownYamlKeyWithItsLineAndTheNearestKey() throws IOException {
		Path file = write("parascope.yml", "APP_NAME: x\nSQS_MESAGE_VISIBILITY: 120\nCOLOUR: blue\n");

		Config.load(file, Map.of(), warnings::add);

		assertEquals(List.of(
			file + ":2: unknown key SQS_MESAGE_VISIBILITY (did you mean SQS_MESSAGE_VISIBILITY?)",
			file + ":3: unknown key COLOUR"), warnings);
	}

	@Test
	void namesWrongTypesInYamlAndJsonWithTheirLine() throws IOException {
		Path yaml = write("parascope.yml", "APP_NAME: x\nDOCKER_CORES: four\n");
		Path json = write("parascope.json", "{\n  \"APP_NAME\": \"x\",\n  \"EBS_VOL_SIZE\": 10\n}\n");
		Path nested = write("nested.yml", "APP_NAME:\n  name: x\n");

		assertEquals(yaml + ":2: DOCKER_CORES: expected an integer, got 'four'", loadError(yaml));
		assertEquals(json + ":3: EBS_VOL_SIZE: must be at least 22, got 10", loadError(json));
		assertEquals(nested + ":1: APP_NAME: expected a string, got {'name': 'x'}", loadError(nested));
	}

	@Test
	void reportsEveryBadValueAndRepeatedKeyAtOnce() throws IOException {
		// As filed: a repeated key was silently last-wins, and only the first bad value was reported.
		Path yaml = write("parascope.yml", "APP_NAME: x\nDOCKER_CORES: four\nMEMORY: 2000\nEBS_VOL_SIZE: 10\nMEMORY: 4000\n");
		Path json = write("parascope.json", "{\n  \"APP_NAME\": \"x\",\n  \"APP_NAME\": \"y\"\n}\n");

		assertEquals(yaml + ":2: DOCKER_CORES: expected an integer, got 'four'\n"
			+ yaml + ":4: EBS_VOL_SIZE: must be at least 22, got 10\n"
			+ yaml + ":5: MEMORY is given twice (first on line 3); keep one", loadError(yaml));
		assertEquals(json + ":3: APP_NAME is given twice (first on line 2); keep one", loadError(json));
	}

	@Test
	void namesTheFileAndLineOfTextThatIsNotUtf8() throws IOException {
		// As filed: "Input length = 3".
		Path file = dir.resolve("parascope.yml");
		Files.write(file, "APP_NAME: x\nAWS_BUCKET: caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

		assertEquals(file + ":2: not UTF-8 text: byte 0xE9 cannot start or continue a character; save the file as UTF-8",
			loadError(file));
	}

	@Test
	void refusesAVisibilityTimeoutThatHidesNothingSayingWhy() throws IOException {
		// As filed: SQS_MESSAGE_VISIBILITY 0 was accepted, and every task then ran twice at the same time.
		Path yaml = write("parascope.yml", "APP_NAME: x\nSQS_MESSAGE_VISIBILITY: 0\n");

		assertEquals(yaml + ":2: SQS_MESSAGE_VISIBILITY: must be at least 1, got 0: 0 hides a received task from no"
			+ " other worker, so every worker would run it at once, and the heartbeat that keeps a running task hidden"
			+ " would have nothing to extend", loadError(yaml));
		assertEquals(1, Config.defaults().with(ConfigKey.SQS_MESSAGE_VISIBILITY, 1).integer(ConfigKey.SQS_MESSAGE_VISIBILITY));
	}

	@Test
	void reportsMalformedYamlAndJsonWithFileAndLine() throws IOException {
		Path yaml = write("parascope.yml", "APP_NAME: x\nMEMORY: [1, 2\nDOCKER_CORES: 3\n");
		Path json = write("parascope.json", "{\n  \"APP_NAME\": \"x\",\n  \"MEMORY\": \n}\n");
		Path list = write("list.yml", "- APP_NAME\n- MEMORY\n");

		assertEquals(yaml + ":3: malformed YAML: while parsing a flow sequence; expected ',' or ']', but got :",
			loadError(yaml));
		assertEquals(json + ":4: malformed JSON: Unexpected character ('}' (code 125)): expected a value",
			loadError(json));
		assertEquals(list + ":1: expected KEY: value pairs at the top level", loadError(list));
	}

	@Test
	void reportsMissingFilesAndUnknownFormats() throws IOException {
		Path missing = dir.resolve("parascope.yml");
		Path toml = write("parascope.toml", "APP_NAME = 'x'\n");

		assertEquals("config file not found: " + missing, loadError(missing));
		assertEquals(toml + ": unknown config format (expected .yml, .yaml, .json or .py)", loadError(toml));
	}

	@Test
	void environmentOverridesTheFile() throws IOException {
		Path file = write("parascope.yml", "APP_NAME: Plate7\nMEMORY: 15000\nAWS_BUCKET: a\nSOURCE_BUCKET: b\n");
		Map<String, String> env = Map.of(
			"APP_NAME", "Plate8",
			"MEMORY", " 8000 ",
			"MACHINE_TYPE", "m5.large,c5.large",
			"USE_PLUGINS", "true",
			"SOURCE_BUCKET", "False",
			"PATH", "/usr/bin");

		Config config = Config.load(file, env, warnings::add);

		assertEquals("Plate8", config.string(APP_NAME));
		assertEquals("Plate8Queue", config.string(SQS_QUEUE_NAME)); // derived from the overridden value
		assertEquals(8000, config.integer(MEMORY));
		assertEquals(List.of("m5.large", "c5.large"), config.list(MACHINE_TYPE));
		assertTrue(config.bool(USE_PLUGINS));
		assertEquals("a", config.string(SOURCE_BUCKET));
		assertEquals(List.of(), warnings);
	}

	@Test
	void givenValuesAsTextLoadBackToTheSameConfigAndDerivedDefaultsStillFollow() throws IOException {
		Path py = write("config.py", "APP_NAME = 'Plate7'\nMACHINE_TYPE = ['m5.large', 'c5.large']\nMACHINE_PRICE = 0.1\n"
			+ "CHECK_IF_DONE_BOOL = 'True'\n");
		Map<ConfigKey, String> given = Config.load(py, Map.of(), warnings::add).given();
		assertEquals(Map.of(APP_NAME, "Plate7", MACHINE_TYPE, "m5.large,c5.large", MACHINE_PRICE, "0.1",
			CHECK_IF_DONE_BOOL, "True"), given);

		StringBuilder yaml = new StringBuilder();
		given.forEach((key, text) -> yaml.append(key).append(": '").append(text).append("'\n"));
		Config back = Config.load(write("parascope.yml", yaml.toString()), Map.of("APP_NAME", "Plate8"), warnings::add);
		assertEquals(List.of("m5.large", "c5.large"), back.list(MACHINE_TYPE));
		assertEquals(0.1, back.decimal(MACHINE_PRICE));
		assertTrue(back.bool(CHECK_IF_DONE_BOOL));
		assertEquals("Plate8Queue", back.string(SQS_QUEUE_NAME));
	}

	@Test
	void listsInTheEnvironmentMayBeWrittenAsInConfigPy() {
		Config config = Config.discover(dir, Map.of("MACHINE_TYPE", "['m5.xlarge', \"c5.xlarge\"]"), warnings::add);

		assertEquals(List.of("m5.xlarge", "c5.xlarge"), config.list(MACHINE_TYPE));
	}

	@Test
	void namesABadEnvironmentVariable() {
		ConfigException e = assertThrows(ConfigException.class,
			() -> Config.discover(dir, Map.of("DOCKER_CORES", "four"), warnings::add));

		assertEquals("environment variable DOCKER_CORES: expected an integer, got 'four'", e.getMessage());
	}

	@Test
	void discoverPrefersYamlThenJsonThenConfigPy() throws IOException {
		assertEquals(Optional.empty(), Config.discover(dir, Map.of(), warnings::add).source());

		Path py = write("config.py", "APP_NAME = 'FromPython'\n");
		assertEquals("FromPython", Config.discover(dir, Map.of(), warnings::add).string(APP_NAME));

		Path json = write("parascope.json", "{\"APP_NAME\": \"FromJson\"}");
		assertEquals("FromJson", Config.discover(dir, Map.of(), warnings::add).string(APP_NAME));

		Path yaml = write("parascope.yml", "APP_NAME: FromYaml\n");
		warnings.clear();
		Config config = Config.discover(dir, Map.of("MEMORY", "1000"), warnings::add);
		assertEquals("FromYaml", config.string(APP_NAME));
		assertEquals(1000, config.integer(MEMORY));
		assertEquals(Optional.of(yaml), config.source());
		assertEquals(List.of("using " + yaml + ", ignoring " + json, "using " + yaml + ", ignoring " + py), warnings);
	}

	@Test
	void withReturnsAModifiedCopy() {
		Config original = Config.defaults();

		Config changed = original.with(MEMORY, 8000).with(DOCKER_CORES, "2").with(USE_PLUGINS, "True")
			.with(MACHINE_TYPE, "m5.large").with(MACHINE_PRICE, 1).with(APP_NAME, "Run2");

		assertEquals(8000, changed.integer(MEMORY));
		assertEquals(2048, changed.integer(CPU_SHARES));
		assertTrue(changed.bool(USE_PLUGINS));
		assertEquals(List.of("m5.large"), changed.list(MACHINE_TYPE));
		assertEquals(1.0, changed.decimal(MACHINE_PRICE));
		assertEquals("Run2Queue", changed.string(SQS_QUEUE_NAME));
		assertEquals(15000, original.integer(MEMORY));
		assertEquals(15000, changed.with(MEMORY, null).integer(MEMORY));
		ConfigException e = assertThrows(ConfigException.class, () -> original.with(MEMORY, "lots"));
		assertEquals("MEMORY: expected an integer, got 'lots'", e.getMessage());
	}

	@Test
	void theWrongGetterIsAProgrammingError() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
			() -> Config.defaults().integer(APP_NAME));

		assertEquals("APP_NAME holds a string, not an integer", e.getMessage());
	}

	@Test
	void environmentFormReadsBackToTheSameValues() throws IOException {
		Config config = Config.load(write("config.py", PythonConfigTest.DCP), Map.of(), warnings::add)
			.with(MACHINE_TYPE, List.of("m5.xlarge", "c5.xlarge"));

		Map<String, String> env = config.asEnvironment();
		Config copy = Config.discover(Files.createDirectory(dir.resolve("empty")), env, warnings::add);

		assertEquals("c5.xlarge", env.get("MACHINE_TYPE").split(",")[1]);
		assertEquals("False", env.get("ASSIGN_IP"));
		assertEquals(env, copy.asEnvironment());
		assertEquals(config.list(MACHINE_TYPE), copy.list(MACHINE_TYPE));
	}

	@Test
	void configErrorsAreUserFacing() {
		assertTrue(ParascopeException.class.isAssignableFrom(ConfigException.class));
	}

	private String loadError(Path file) {
		return assertThrows(ConfigException.class, () -> Config.load(file, Map.of(), warnings::add)).getMessage();
	}

	private Path write(String name, String text) throws IOException {
		return Files.writeString(dir.resolve(name), text);
	}
}
