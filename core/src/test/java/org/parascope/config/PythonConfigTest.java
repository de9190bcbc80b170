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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config.py files of Distributed-CellProfiler and Distributed-Fiji, read as they are. */
class PythonConfigTest {

	/** Distributed-CellProfiler's template config.py. */
	static final String DCP = """
		# Constants (User configurable)
		APP_NAME = 'DistributedCP'
		# DOCKER REGISTRY INFORMATION:
		DOCKERHUB_TAG = 'cellprofiler/distributed-cellprofiler:2.0.0_4.2.1'
		# AWS GENERAL SETTINGS:
		AWS_REGION = 'us-east-1'
		AWS_PROFILE = 'default'
		SSH_KEY_NAME = 'your-key-file.pem'
		AWS_BUCKET = 'your-bucket-name'
		SOURCE_BUCKET = 'bucket-name'
		WORKSPACE_BUCKET = 'bucket-name'
		DESTINATION_BUCKET = 'bucket-name'
		UPLOAD_FLAGS = ''
		# EC2 AND ECS INFORMATION:
		ECS_CLUSTER = 'default'
		CLUSTER_MACHINES = 3
		TASKS_PER_MACHINE = 1
		MACHINE_TYPE = ['m5.xlarge']
		MACHINE_PRICE = 0.20
		EBS_VOL_SIZE = 30
		DOWNLOAD_FILES = 'False'
		ASSIGN_IP = 'False'
		# DOCKER INSTANCE RUNNING ENVIRONMENT:
		DOCKER_CORES = 4
		CPU_SHARES = DOCKER_CORES * 1024
		MEMORY = 15000
		SECONDS_TO_START = 3*60
		# SQS QUEUE INFORMATION:
		SQS_QUEUE_NAME = APP_NAME + 'Queue'
		SQS_MESSAGE_VISIBILITY = 1*60
		SQS_DEAD_LETTER_QUEUE = 'user_DeadMessages'
		JOB_RETRIES = 3
		# MONITORING
		AUTO_MONITOR = 'True'
		CREATE_DASHBOARD = 'True'
		CLEAN_DASHBOARD = 'True'
		# LOG GROUP INFORMATION:
		LOG_GROUP_NAME = APP_NAME
		# REDUNDANCY CHECKS
		CHECK_IF_DONE_BOOL = 'False'
		EXPECTED_NUMBER_FILES = 7
		MIN_FILE_SIZE_BYTES = 1
		NECESSARY_STRING = ''
		# CELLPROFILER SETTINGS
		ALWAYS_CONTINUE = 'False'
		# PLUGINS
		USE_PLUGINS = 'False'
		UPDATE_PLUGINS = 'False'
		PLUGINS_COMMIT = 'False'
		INSTALL_REQUIREMENTS = 'False'
		REQUIREMENTS_FILE = 'False'
		""";

	/** A Distributed-Fiji config.py: a script URL, a dead-letter queue ARN, no JOB_RETRIES. */
	static final String DF = """
		APP_NAME = 'FijiStitch'                # Used to generate derivative names
		DOCKERHUB_TAG = 'cellprofiler/distributed-fiji:latest'
		AWS_REGION = 'us-west-2'
		AWS_PROFILE = 'lab'
		SSH_KEY_NAME = 'lab-key.pem'
		AWS_BUCKET = 'lab-images'
		ECS_CLUSTER = 'default'
		CLUSTER_MACHINES = 2
		TASKS_PER_MACHINE = 1
		MACHINE_TYPE = ['c5.xlarge']
		MACHINE_PRICE = 0.10
		EBS_VOL_SIZE = 60                     # In GB.  Minimum allowed is 22.
		DOWNLOAD_FILES = 'False'
		MEMORY = 6000
		SCRIPT_DOWNLOAD_URL = 'https://raw.githubusercontent.com/lab/scripts/main/stitch.py'
		SQS_QUEUE_NAME = APP_NAME + 'Queue'
		SQS_MESSAGE_VISIBILITY = 720*60
		SQS_DEAD_LETTER_QUEUE = 'arn:aws:sqs:us-west-2:111111100000:FijiDeadMessages'
		LOG_GROUP_NAME = APP_NAME\s
		EXPECTED_NUMBER_FILES = 7
		MIN_FILE_SIZE_BYTES = 1
		NECESSARY_STRING = ''
		""";

	@TempDir
	Path dir;

	final List<String> warnings = new ArrayList<>();

	@Test
	void readsDistributedCellProfilerTemplate() throws IOException {
		Config config = load(DCP);

		assertEquals("DistributedCP", config.string(APP_NAME));
		assertEquals("cellprofiler/distributed-cellprofiler:2.0.0_4.2.1", config.string(DOCKERHUB_TAG));
		assertEquals("us-east-1", config.string(AWS_REGION));
		assertEquals("your-bucket-name", config.string(AWS_BUCKET));
		assertEquals("bucket-name", config.string(SOURCE_BUCKET));
		assertEquals("", config.string(UPLOAD_FLAGS));
		assertEquals(3, config.integer(CLUSTER_MACHINES));
		assertEquals(List.of("m5.xlarge"), config.list(MACHINE_TYPE));
		assertEquals(0.20, config.decimal(MACHINE_PRICE));
		assertEquals(30, config.integer(EBS_VOL_SIZE));
		assertFalse(config.bool(DOWNLOAD_FILES));
		assertFalse(config.bool(ASSIGN_IP));
		assertEquals(4096, config.integer(CPU_SHARES));
		assertEquals(15000, config.integer(MEMORY));
		assertEquals(180, config.integer(SECONDS_TO_START));
		assertEquals("DistributedCPQueue", config.string(SQS_QUEUE_NAME));
		assertEquals(60, config.integer(SQS_MESSAGE_VISIBILITY));
		assertEquals("user_DeadMessages", config.string(SQS_DEAD_LETTER_QUEUE));
		assertEquals(3, config.integer(JOB_RETRIES));
		assertTrue(config.bool(AUTO_MONITOR));
		assertTrue(config.bool(CLEAN_DASHBOARD));
		assertEquals("DistributedCP", config.string(LOG_GROUP_NAME));
		assertEquals(7, config.integer(EXPECTED_NUMBER_FILES));
		assertEquals("", config.string(NECESSARY_STRING));
		assertFalse(config.bool(USE_PLUGINS));
		// 'False' is DCP's "no commit" and "no requirements file".
		assertEquals("", config.string(PLUGINS_COMMIT));
		assertEquals("", config.string(REQUIREMENTS));
		assertEquals(List.of(), warnings);
	}

	@Test
	void expressionsFollowTheNamesTheyUse() throws IOException {
		Config config = load(DCP.replace("APP_NAME = 'DistributedCP'", "APP_NAME = 'Plate7'")
			.replace("DOCKER_CORES = 4", "DOCKER_CORES = 2"));

		assertEquals("Plate7Queue", config.string(SQS_QUEUE_NAME));
		assertEquals("Plate7", config.string(LOG_GROUP_NAME));
		assertEquals(2048, config.integer(CPU_SHARES));
	}

	@Test
	void legacyRequirementsFileBecomesRequirements() throws IOException {
		Config config = load(DCP.replace("REQUIREMENTS_FILE = 'False'",
			"REQUIREMENTS_FILE = 'requirements.txt'\nREQUIREMENTS = ''"));

		assertEquals("requirements.txt", config.string(REQUIREMENTS));
		assertEquals(List.of(), warnings);
	}

	@Test
	void readsDistributedFijiConfig() throws IOException {
		Config config = load(DF);

		assertEquals("https://raw.githubusercontent.com/lab/scripts/main/stitch.py", config.string(SCRIPT_DOWNLOAD_URL));
		assertEquals("FijiDeadMessages", config.string(SQS_DEAD_LETTER_QUEUE));
		assertEquals("FijiStitchQueue", config.string(SQS_QUEUE_NAME));
		assertEquals(43200, config.integer(SQS_MESSAGE_VISIBILITY));
		assertEquals(0.10, config.decimal(MACHINE_PRICE));
		// Not in the file: buckets fall back to AWS_BUCKET, and DCP's run.py retried 10 times.
		assertEquals("lab-images", config.string(SOURCE_BUCKET));
		assertEquals("lab-images", config.string(DESTINATION_BUCKET));
		assertEquals(10, config.integer(JOB_RETRIES));
		assertEquals(4, config.integer(DOCKER_CORES));
		assertEquals(4096, config.integer(CPU_SHARES));
		assertEquals(List.of(), warnings);
	}

	@Test
	void evaluatesThePythonThatConfigFilesUse() throws IOException {
		Config config = load("""
			\"""Settings for plate 7.\"""
			LAB = 'my-lab'                       # a helper name, not a setting
			AWS_BUCKET = LAB + "-data"
			APP_NAME = ('Plate'
			            '7' + 'b')
			MEMORY = (4 + 2) * 1000 // 4 - -10
			SECONDS_TO_START = 120 / 2
			MACHINE_PRICE = 1 / 4
			EXPECTED_NUMBER_FILES = -17 % 5
			MIN_FILE_SIZE_BYTES = 1_000
			NECESSARY_STRING = 'a\\tb\\'c' + r'\\d'
			MACHINE_TYPE = [
			    'm5.xlarge',   # cheapest
			    "c5.xlarge",
			] + ['r5.large']
			DOCKER_CORES = \\
			    8
			CHECK_IF_DONE_BOOL = True
			UPLOAD_FLAGS = None
			""");

		assertEquals("my-lab-data", config.string(AWS_BUCKET));
		assertEquals("Plate7b", config.string(APP_NAME));
		assertEquals(1510, config.integer(MEMORY));
		assertEquals(60, config.integer(SECONDS_TO_START));
		assertEquals(0.25, config.decimal(MACHINE_PRICE));
		assertEquals(3, config.integer(EXPECTED_NUMBER_FILES));
		assertEquals(1000, config.integer(MIN_FILE_SIZE_BYTES));
		assertEquals("a\tb'c\\d", config.string(NECESSARY_STRING));
		assertEquals(List.of("m5.xlarge", "c5.xlarge", "r5.large"), config.list(MACHINE_TYPE));
		assertEquals(8, config.integer(DOCKER_CORES));
		assertTrue(config.bool(CHECK_IF_DONE_BOOL));
		assertEquals("", config.string(UPLOAD_FLAGS));
		assertEquals(List.of(), warnings);
	}

	@Test
	void warnsOfAMisspeltKeyWithTheNearestKnownOne() throws IOException {
		Path file = write("APP_NAME = 'x'\nSQS_MESSAGE_VISIBILTY = 600\n");

		Config config = Config.load(file, Map.of(), warnings::add);

		assertEquals(List.of(file + ":2: unknown key SQS_MESSAGE_VISIBILTY (did you mean SQS_MESSAGE_VISIBILITY?)"),
			warnings);
		assertEquals(60, config.integer(SQS_MESSAGE_VISIBILITY));
	}

	@Test
	void namesAWrongTypeWithFileLineAndKey() throws IOException {
		assertError(DCP.replace("DOCKER_CORES = 4", "DOCKER_CORES = 'four'"),
			":24: DOCKER_CORES: expected an integer, got 'four'");
		assertError("APP_NAME = 5\n", ":1: APP_NAME: expected a string, got 5");
		assertError("\nMACHINE_TYPE = [1, 2]\n", ":2: MACHINE_TYPE: expected a list of strings, got [1, 2]");
		assertError("ASSIGN_IP = 'yes'\n", ":1: ASSIGN_IP: expected True or False, got 'yes'");
		assertError("EBS_VOL_SIZE = 20\n", ":1: EBS_VOL_SIZE: must be at least 22, got 20");
		assertError("MEMORY = 7500.5\n", ":1: MEMORY: expected an integer, got 7500.5");
	}

	@Test
	void rejectsUnsupportedPythonNamingTheLine() throws IOException {
		assertError("APP_NAME = 'x'\nimport os\n", ":2: unsupported Python: 'import'");
		assertError("AWS_BUCKET = os.environ['BUCKET']\n", ":1: unsupported Python: attribute access");
		assertError("MEMORY = int('4')\n", ":1: unsupported Python: function call");
		assertError("APP_NAME = f'run{1}'\n", ":1: unsupported Python: f-string");
		assertError("DOCKER_CORES = 4\nif DOCKER_CORES > 2:\n    MEMORY = 8000\n", ":2: unsupported Python: 'if'");
		assertError("DOCKER_CORES = 4\nDOCKER_CORES += 1\n", ":2: unsupported Python: '+='");
		assertError("MEMORY = 2 ** 10\n", ":1: unsupported Python: '**'");
		assertError("MACHINE_TYPE = ('m5.xlarge', 'c5.xlarge')\n", ":1: unsupported Python: tuple");
		assertError("APP_NAME = 'a' * 3\n", ":1: unsupported operand types for *: 'str' and 'int'");
	}

	@Test
	void namesAnUndefinedName() throws IOException {
		assertError("APP_NAME = 'x'\n\nSQS_QUEUE_NAME = APP_NAM + 'Queue'\n",
			":3: name 'APP_NAM' is not defined (did you mean APP_NAME?)");
		// Python reads top to bottom: a name assigned later is not defined yet.
		assertError("LOG_GROUP_NAME = APP_NAME\nAPP_NAME = 'x'\n", ":1: name 'APP_NAME' is not defined");
	}

	@Test
	void namesUnterminatedStringsAndBrackets() throws IOException {
		assertError("APP_NAME = 'x'\nAWS_BUCKET = 'my-bucket\nMEMORY = 1\n", ":2: unterminated string");
		assertError("APP_NAME = \"\"\"x\n\n", ":1: unterminated string");
		assertError("APP_NAME = 'x'\nMACHINE_TYPE = ['m5.xlarge',\nMEMORY = 1\n", ":2: '[' was never closed");
		assertError("MEMORY = 1 / 0\n", ":1: division by zero");
		assertError("MEMORY = \n", ":1: expected a value, got end of line");
	}

	private void assertError(String source, String expectedAfterPath) throws IOException {
		Path file = write(source);
		ConfigException e = assertThrows(ConfigException.class, () -> Config.load(file, Map.of(), warnings::add));
		assertEquals(file + expectedAfterPath, e.getMessage());
	}

	private Config load(String source) throws IOException {
		return Config.load(write(source), Map.of(), warnings::add);
	}

	private Path write(String source) throws IOException {
		return Files.writeString(dir.resolve("config.py"), source);
	}
}
