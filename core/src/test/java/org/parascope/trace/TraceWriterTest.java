package org.parascope.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.parascope.job.Engine;
import org.parascope.job.Task;
import org.parascope.trace.TraceRecord.Outcome;
import org.parascope.worker.TaskLog;
import org.parascope.worker.TaskProcess;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceWriterTest {

	@TempDir
	Path dir;

	private final List<String> batches = Collections.synchronizedList(new ArrayList<>());
	private final List<String> writers = Collections.synchronizedList(new ArrayList<>());

	static Task task(String image) {
		return new Task(image, Engine.FIJI, "m.ijm", Map.of("image", image), Map.of(), List.of(), null, null, "out/" + image);
	}

	private TraceWriter writer(int records, Duration delay) {
		return new TraceWriter("job", new Machine("host-1-0", "host", "m5.large", "us-east-1a"), lines -> {
			writers.add(Thread.currentThread().getName());
			batches.add(lines);
		}, records, delay,
			line -> {});
	}

	private List<TraceRecord> tries() throws Exception {
		List<TraceRecord> tries = new ArrayList<>();
		TraceReader reader = new TraceReader(tries::add);
		for (String batch : batches) reader.read(new BufferedReader(new StringReader(batch)), "batch");
		reader.finish();
		assertEquals(0, reader.badLines(), reader.problems().toString());
		return tries;
	}

	/**
	 * No request per task: records go out in batches of N, and the rest at close. A try that has ended when its
	 * records are made has its end record only; one still running then has its start written too.
	 */
	@Test
	void recordsGoOutInBatchesAndAtClose() throws Exception {
		try (TraceWriter trace = writer(4, Duration.ofHours(1))) {
			for (String image : List.of("a", "b", "c", "d")) {
				Trace.Try t = trace.begin("worker-0", task(image), 1);
				t.fetched(100);
				t.stored(7);
				if (image.equals("d")) trace.settle(); // d's records are made while it runs
				t.end(image.equals("b") ? Outcome.FAILED : Outcome.SUCCEEDED, image.equals("b") ? "macro error: x" : null);
			}
			trace.settle(); // the full batch is written on the trace's thread
			trace.skipped("worker-0", task("e"), 1);
			assertEquals(1, batches.size(), "one batch of 4 records so far: " + batches);
			assertEquals(List.of("end", "end", "end", "start"), records(batches.get(0)));
			assertEquals(List.of("parascope-trace"), writers, "the worker's thread neither serialises nor writes");
		}
		assertEquals(2, batches.size());
		assertEquals(List.of("end", "end"), records(batches.get(1)), "d's end and e's skip");
		List<TraceRecord> tries = tries();
		assertEquals(List.of("a", "b", "c", "d", "e"), tries.stream().map(TraceRecord::taskId).toList());
		TraceRecord b = tries.get(1);
		assertEquals(Outcome.FAILED, b.outcome());
		assertEquals("macro error: x", b.reason());
		assertEquals("image=b", b.task());
		assertEquals(Map.of("image", "b"), b.metadata());
		assertEquals(100, b.bytesFetched());
		assertEquals(7, b.bytesStored());
		assertEquals("m5.large", b.instanceType());
		assertEquals("us-east-1a", b.zone());
		assertEquals("fiji", b.engine());
		assertTrue(b.seconds() >= 0 && b.end() != null && b.cpuSeconds() != null && b.peakMemoryMiB() != null, b.toString());
		assertEquals(Outcome.SUCCEEDED, tries.get(3).outcome(), "a start and its end are one try");
		assertEquals(Outcome.SKIPPED, tries.get(4).outcome());
	}

	private static List<String> records(String batch) {
		return batch.lines().map(line -> TraceRecord.parse(line).record()).toList();
	}

	/** The trace's thread finds a full batch on its own: the worker's thread never wakes it. */
	@Test
	void aFullBatchGoesOutBeforeItsDelay() throws Exception {
		try (TraceWriter trace = writer(4, Duration.ofHours(1))) {
			for (String image : List.of("a", "b", "c", "d", "e")) trace.begin("worker-0", task(image), 1).end(Outcome.SUCCEEDED, null);
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (batches.isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
			assertEquals(1, batches.size(), "the first 4 records, the last waits for more or the delay: " + batches);
			assertEquals(4, batches.get(0).lines().count());
			assertEquals(List.of("parascope-trace"), writers);
		}
		assertEquals(List.of("a", "b", "c", "d", "e"), tries().stream().map(TraceRecord::taskId).toList());
	}

	/** A try still running when its worker dies has its start written already, read as unfinished. */
	@Test
	void aStartWithoutAnEndIsReadAsUnfinished() throws Exception {
		TraceWriter trace = writer(1000, Duration.ofMillis(100));
		Trace.Try unfinished = trace.begin("worker-0", task("long"), 2);
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (batches.isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
		List<TraceRecord> tries = tries();
		assertEquals(1, tries.size());
		assertEquals(Outcome.UNFINISHED, tries.get(0).outcome());
		assertEquals(2, tries.get(0).attempt());
		assertNull(tries.get(0).end());
		unfinished.end(Outcome.FAILED, "test over"); // no longer a try running in this JVM, for the tests after
		trace.close();
	}

	/**
	 * CPU and memory of what the engine ran: a real process that touches 300 MB and spins until it has used
	 * 2 s of CPU (CPU time, not wall time: the machine may be busy). Sampling every 0.5 s may miss the last
	 * half second of a process that ends between two samples.
	 */
	@Test
	void aTrysProcessTreeIsMeasured() throws Exception {
		try (TraceWriter trace = writer(1000, Duration.ofHours(1))) {
			Trace.Try t = trace.begin("worker-0", task("p"), 1);
			// The child of a shell: the tree, not only the process started.
			TaskProcess.run(List.of("sh", "-c", "python3 -c \"import time\nx = bytearray(300 * 1024 * 1024)\n"
				+ "for i in range(0, len(x), 4096): x[i] = 1\nwhile time.process_time() < 2: pass\""), dir,
				new TaskLog());
			t.end(Outcome.SUCCEEDED, null);
		}
		TraceRecord r = tries().get(0);
		assertTrue(r.cpuSeconds() >= 1.4 && r.cpuSeconds() < 4, "CPU seconds: " + r.cpuSeconds());
		assertTrue(r.peakMemoryMiB() >= 250, "peak MiB: " + r.peakMemoryMiB());
	}

	/**
	 * An in-process runner's try (an ImageJ macro in the worker's JVM) gets the JVM's CPU time while it ran: here
	 * the try's thread spins until it has used 1 s of CPU time by its own clock. The JVM's other threads only add.
	 */
	@Test
	void anInProcessTryGetsTheJvmsCpu() throws Exception {
		java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
		long spun = 0;
		try (TraceWriter trace = writer(1000, Duration.ofHours(1))) {
			Trace.Try t = trace.begin("worker-0", task("i"), 1);
			long start = threads.getCurrentThreadCpuTime();
			while (threads.getCurrentThreadCpuTime() - start < 1_000_000_000L) spun++;
			t.end(Outcome.SUCCEEDED, null);
		}
		TraceRecord r = tries().get(0);
		assertTrue(spun > 0 && r.cpuSeconds() >= 0.8, "CPU seconds: " + r.cpuSeconds());
		assertTrue(r.peakMemoryMiB() > 0, "peak MiB: " + r.peakMemoryMiB());
	}

	/**
	 * A batch is written with one generator (docs/benchmarks.md): its lines are exactly the records' own JSON, one
	 * per line, escapes, nulls and numbers included, byte for byte as traces were written before.
	 */
	@Test
	void aBatchIsEachRecordsJsonOnItsOwnLine() throws Exception {
		Instant start = Instant.parse("2026-12-05T10:00:00.123456Z");
		Map<String, String> metadata = new LinkedHashMap<>();
		metadata.put("Metadata_Well", "A01");
		metadata.put("quote \" and \\ and \u00e9", "line\nbreak\ttab\u0001");
		List<TraceRecord> records = List.of(
			new TraceRecord(TraceRecord.START, "job", "1", "Well=A01", metadata, 1, "worker-0", "host-1", "host", null, null,
				"fiji", start, null, null, Outcome.STARTED, null, 0, 0, null, null),
			new TraceRecord(TraceRecord.END, "job", "1", "Well=A01", metadata, 2, "worker-0", "host-1", "host", "m5.large",
				"us-east-1a", "fiji", start, start.plusMillis(2500), 2.5, Outcome.FAILED, "exit 1: \"no image\"", 12345678901L, 7,
				0.0004, 1234.5678));
		StringWriter batch = new StringWriter();
		TraceRecord.writeLines(records, batch);
		assertEquals(records.get(0).toJson() + "\n" + records.get(1).toJson() + "\n", batch.toString());
		// As the trace wrote them before batches had one generator (one per record, Instant.toString): the same bytes.
		assertEquals("{\"record\":\"start\",\"job\":\"job\",\"taskId\":\"1\",\"task\":\"Well=A01\",\"metadata\":{\"Metadata_Well\":\"A01\",\"quote \\\" and \\\\ and é\":\"line\\nbreak\\ttab\\u0001\"},\"try\":1,\"worker\":\"worker-0\",\"process\":\"host-1\",\"machine\":\"host\",\"instanceType\":null,\"zone\":null,\"engine\":\"fiji\",\"start\":\"2026-12-05T10:00:00.123456Z\",\"end\":null,\"seconds\":null,\"outcome\":\"started\",\"reason\":null,\"bytesFetched\":0,\"bytesStored\":0,\"cpuSeconds\":null,\"peakMemoryMiB\":null}" + "\n"
			+ "{\"record\":\"end\",\"job\":\"job\",\"taskId\":\"1\",\"task\":\"Well=A01\",\"metadata\":{\"Metadata_Well\":\"A01\",\"quote \\\" and \\\\ and é\":\"line\\nbreak\\ttab\\u0001\"},\"try\":2,\"worker\":\"worker-0\",\"process\":\"host-1\",\"machine\":\"host\",\"instanceType\":\"m5.large\",\"zone\":\"us-east-1a\",\"engine\":\"fiji\",\"start\":\"2026-12-05T10:00:00.123456Z\",\"end\":\"2026-12-05T10:00:02.623456Z\",\"seconds\":2.5,\"outcome\":\"failed\",\"reason\":\"exit 1: \\\"no image\\\"\",\"bytesFetched\":12345678901,\"bytesStored\":7,\"cpuSeconds\":0.0,\"peakMemoryMiB\":1234.568}" + "\n", batch.toString());
		assertEquals(metadata, TraceRecord.parse(batch.toString().split("\n")[1]).metadata());
	}

	/** The JVM's CPU time as the sampler reads it (on Linux from /proc) agrees with the JVM's own clock. */
	@Test
	void theJvmsCpuTimeIsReadRight() {
		var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
		long before = os.getProcessCpuTime();
		long read = TryUsage.jvmCpuNanos();
		long after = os.getProcessCpuTime();
		// /proc counts in 10 ms ticks, and rounds each thread's time down.
		assertTrue(read > before - 100_000_000L && read <= after + 10_000_000L, before + " <= " + read + " <= " + after);
	}

	/** The trace writes times exactly as Instant.toString does, fractions of every length and the far years included. */
	@Test
	void timesAreWrittenAsInstantWritesThem() {
		Random random = new Random(19);
		List<Instant> times = new ArrayList<>(List.of(Instant.EPOCH, Instant.parse("2024-02-29T23:59:59Z"),
			Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("+10000-01-01T00:00:00Z"),
			Instant.parse("1969-12-31T23:59:59.5Z"), Instant.now()));
		for (int i = 0; i < 100_000; i++) {
			long second = random.nextLong(0, 253_402_300_800L);
			int nanos = switch (i % 4) {
				case 0 -> 0;
				case 1 -> random.nextInt(1000) * 1_000_000;
				case 2 -> random.nextInt(1_000_000) * 1000;
				default -> random.nextInt(1_000_000_000);
			};
			times.add(Instant.ofEpochSecond(second, nanos));
		}
		for (Instant t : times) assertEquals(t.toString(), TraceRecord.time(t));
	}

	@Test
	void timesAreReadAsInstantWritesThem() {
		for (String t : List.of("2026-01-05T10:00:00Z", "2026-01-05T10:00:00.1Z", "2026-12-31T23:59:59.123456789Z",
			"2024-02-29T00:00:00.000120Z", "2026-01-05T10:00:00+01:00")) {
			assertEquals(java.time.OffsetDateTime.parse(t).toInstant(), TraceRecord.instant(t), t);
		}
		Instant now = Instant.now();
		assertEquals(now, TraceRecord.instant(now.toString()));
	}

	@Test
	void aPathSegmentStaysOne() {
		assertEquals("i-0abc_1_2", TracePlace.safe("i-0abc/1:2"));
		assertEquals("_..", TracePlace.safe(".."));
		assertEquals("parascope/runs/My_App/trace/", TracePlace.prefix("My/App"));
	}
}
