package org.parascope.aws.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.aws.AwsClients;
import org.parascope.aws.MotoServer;
import org.parascope.cli.Outcome;
import org.parascope.config.Config;

import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;

/** Task logs: shipped as a worker will, against moto; read back with 'parascope logs'. */
@ExtendWith(MotoServer.class)
class CloudWatchTaskLogsTest {

	private static final String A01 = "Metadata_Plate=P1, Metadata_Well=A01";
	private static final String A02 = "Metadata_Plate=P1, Metadata_Well=A02";
	private static final String B01 = "Metadata_Plate=P1, Metadata_Well=B01";

	@TempDir
	Path dir;

	private static AwsClients aws;

	private static CloudWatchTaskLogs logs() {
		if (aws == null) aws = new AwsClients(Config.defaults(), null, MotoServer.env());
		return new CloudWatchTaskLogs(aws.logs(), "DemoLogs");
	}

	private static CloudWatchTaskLogs withGroup() {
		CloudWatchTaskLogs logs = logs();
		aws.logs().createLogGroup(b -> b.logGroupName("DemoLogs"));
		return logs;
	}

	@AfterAll
	static void closeClients() {
		if (aws != null) aws.close();
		aws = null;
	}

	/** 'parascope logs TASK' in this JVM, with the emulator's environment and LOG_GROUP_NAME DemoLogs. */
	private Outcome logsCommand(String task) throws Exception {
		Path config = Files.writeString(dir.resolve("parascope.yml"), "APP_NAME: Demo\nLOG_GROUP_NAME: DemoLogs\n");
		return Outcome.run(MotoServer.env(), "--config", config.toString(), "logs", task);
	}

	@Test
	void streamNamesAreLabelsWithoutColonsOrStarsAndFitCloudWatch() {
		assertEquals(A01, CloudWatchTaskLogs.streamName(A01));
		assertEquals("Metadata_Time=12_30, Metadata_Glob=a_b", CloudWatchTaskLogs.streamName("Metadata_Time=12:30, Metadata_Glob=a*b"));
		String long1 = "Metadata_Path=" + "x".repeat(600) + "1", long2 = "Metadata_Path=" + "x".repeat(600) + "2";
		assertEquals(512, CloudWatchTaskLogs.streamName(long1).length());
		assertTrue(CloudWatchTaskLogs.streamName(long1).startsWith("Metadata_Path=xxx"));
		assertNotEquals(CloudWatchTaskLogs.streamName(long1), CloudWatchTaskLogs.streamName(long2));
	}

	@Test
	void batchesKeepWithinPutLogEventsLimitsAndLoseNothing() {
		List<String> many = IntStream.range(0, 25_000).mapToObj(i -> "line " + i).toList();
		assertEquals(List.of(10_000, 10_000, 5_000),
			CloudWatchTaskLogs.batches(many, 1).stream().map(List::size).toList());

		// 2-byte characters: a 600,000-character line is 1.2 MB, more than one event or one call may hold.
		String huge = "é".repeat(600_000);
		List<String> lines = List.of("", huge, "end");
		List<List<InputLogEvent>> batches = CloudWatchTaskLogs.batches(lines, 1);
		for (List<InputLogEvent> batch : batches) {
			int bytes = 0;
			for (InputLogEvent e : batch) {
				int size = e.message().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
				assertTrue(size <= CloudWatchTaskLogs.MAX_MESSAGE_BYTES && size > 0, "event of " + size + " bytes");
				bytes += size + CloudWatchTaskLogs.EVENT_OVERHEAD;
			}
			assertTrue(bytes <= CloudWatchTaskLogs.MAX_BATCH_BYTES, "call of " + bytes + " bytes");
		}
		List<String> messages = batches.stream().flatMap(List::stream).map(InputLogEvent::message).toList();
		assertEquals(" ", messages.get(0), "CloudWatch refuses empty messages");
		assertEquals(huge, String.join("", messages.subList(1, messages.size() - 1)));
		assertEquals("end", messages.get(messages.size() - 1));
	}

	@Test
	void shippedLinesArePrintedByTheLogsCommandEveryAttemptAppended() throws Exception {
		CloudWatchTaskLogs logs = withGroup();
		logs.ship(A01, List.of("attempt 1", "FAILED: out of memory"));
		logs.ship(A01, List.of("attempt 2", "", "stored 3 result file(s) under out/P1-A01"));
		logs.ship(A02, List.of("not this one"));
		Outcome o = logsCommand(A01);
		assertEquals(0, o.exit(), o.err());
		assertEquals(String.join(System.lineSeparator(), "attempt 1", "FAILED: out of memory", "attempt 2", " ",
			"stored 3 result file(s) under out/P1-A01", ""), o.out());
		assertTrue(o.err().contains("log stream '" + A01 + "' of log group DemoLogs"), o.err());
	}

	@Test
	void aBeginningNamingOneTaskIsEnoughAndSeveralAreListed() throws Exception {
		CloudWatchTaskLogs logs = withGroup();
		logs.ship(A01, List.of("a01"));
		logs.ship(A02, List.of("a02"));
		logs.ship(B01, List.of("b01"));
		Outcome one = logsCommand("Metadata_Plate=P1, Metadata_Well=B");
		assertEquals(0, one.exit(), one.err());
		assertEquals("b01", one.out().strip());

		Outcome several = logsCommand("Metadata_Plate=P1, Metadata_Well=A");
		assertEquals(2, several.exit());
		assertEquals("", several.out());
		assertTrue(several.err().contains("several task logs") && several.err().contains(A01) && several.err().contains(A02)
			&& several.err().contains("give more of the task's label"), several.err());
		assertFalse(several.err().contains(B01), several.err());
	}

	@Test
	void aWholeLabelWinsOverLongerLabelsItBegins() throws Exception {
		CloudWatchTaskLogs logs = withGroup();
		logs.ship("Metadata_Well=A01", List.of("short"));
		logs.ship("Metadata_Well=A010", List.of("long"));
		assertEquals("short", logsCommand("Metadata_Well=A01").out().strip());
	}

	@Test
	void aLabelWithAColonIsFoundAsTyped() throws Exception {
		withGroup().ship("Metadata_Time=12:30", List.of("at half past twelve"));
		Outcome o = logsCommand("Metadata_Time=12:30");
		assertEquals(0, o.exit(), o.err());
		assertEquals("at half past twelve", o.out().strip());
	}

	/** moto, like CloudWatch, returns at most 10,000 events per GetLogEvents call. */
	@Test
	void aLongLogIsReadPageByPageInOrder() throws Exception {
		List<String> lines = IntStream.range(0, 25_000).mapToObj(i -> "line " + i).toList();
		withGroup().ship(A01, lines);
		Outcome o = logsCommand(A01);
		assertEquals(0, o.exit(), o.err());
		assertEquals(lines.stream().collect(Collectors.joining(System.lineSeparator(), "", System.lineSeparator())), o.out());
	}

	@Test
	void aMissingGroupOrTaskIsExplained() throws Exception {
		Outcome noGroup = logsCommand(A01);
		assertEquals(2, noGroup.exit());
		assertTrue(noGroup.err().contains("log group DemoLogs does not exist (LOG_GROUP_NAME)"), noGroup.err());

		withGroup().ship(A02, List.of("x"));
		Outcome noTask = logsCommand(A01);
		assertEquals(2, noTask.exit());
		assertTrue(noTask.err().contains("no task log in log group DemoLogs is named '" + A01 + "'")
			&& noTask.err().contains("e.g. '" + A02 + "'"), noTask.err());
	}
}
