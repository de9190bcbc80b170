package org.parascope.trace;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * One line of a trace (docs/trace.md): a try's start, or its end with what it took. A try whose
 * start has no end was cut short (its worker was killed): {@link Outcome#UNFINISHED} when read.
 *
 * @param record       {@code start} or {@code end}
 * @param job          the local run's job name, or on AWS the app (APP_NAME): SQS messages carry no job
 * @param attempt      the try's number, 1 for the first (the queue's receive count)
 * @param worker       the worker thread's name within its process, e.g. {@code worker-0}
 * @param process      the worker process: machine plus process id, unique within a run
 * @param machine      the EC2 instance id where IMDSv2 answers, else the host name
 * @param instanceType the EC2 instance type, null where unknown
 * @param zone         the availability zone, null where unknown
 * @param end          null in a start record
 * @param reason       why a try did not succeed, null otherwise
 * @param cpuSeconds   CPU time of what the engine ran; null in a start record
 * @param peakMemoryMiB peak resident memory of what the engine ran; null in a start record
 */
public record TraceRecord(String record, String job, String taskId, String task, Map<String, String> metadata,
	int attempt, String worker, String process, String machine, String instanceType, String zone, String engine,
	Instant start, Instant end, Double seconds, Outcome outcome, String reason, long bytesFetched, long bytesStored,
	Double cpuSeconds, Double peakMemoryMiB) {

	public static final String START = "start", END = "end";

	/** How a try ended. */
	public enum Outcome {
		/** Start record only: the try is running. */
		STARTED,
		SUCCEEDED,
		FAILED,
		TIMED_OUT,
		/** Handed back to the queue (spot interruption, end of a shutdown's grace). */
		RELEASED,
		/** CHECK_IF_DONE found its results: nothing ran. */
		SKIPPED,
		/** A start with no end: the worker was killed, or is still working. Never written, only read. */
		UNFINISHED;

		public String id() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

		public static Outcome of(String id) {
			return valueOf(id.toUpperCase(java.util.Locale.ROOT));
		}
	}

	private static final JsonFactory FACTORY = new JsonFactory();

	public TraceRecord {
		metadata = metadata == null ? Map.of() : metadata;
	}

	/** Which try this is across processes: a start and its end share it. */
	public String tryKey() {
		return process + "\u0000" + worker + "\u0000" + taskId + "\u0000" + attempt + "\u0000" + start.toEpochMilli();
	}

	/** This start as it reads when no end came. */
	public TraceRecord unfinished() {
		return new TraceRecord(END, job, taskId, task, metadata, attempt, worker, process, machine, instanceType, zone,
			engine, start, null, null, Outcome.UNFINISHED, "no end was recorded: the worker was killed or lost mid-try",
			bytesFetched, bytesStored, cpuSeconds, peakMemoryMiB);
	}

	/** One JSON object, no line break. */
	public String toJson() {
		StringWriter out = new StringWriter(400);
		try (JsonGenerator g = FACTORY.createGenerator(out)) {
			write(g);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		return out.toString();
	}

	/**
	 * Writes lines of JSON, one record each, to {@code out}: one generator for a whole batch (one per record cost
	 * the trace's thread half its time; docs/benchmarks.md, "The trace's cost per task").
	 */
	static void writeLines(Iterable<TraceRecord> records, Writer out) throws IOException {
		try (JsonGenerator g = FACTORY.createGenerator(out)) {
			g.setRootValueSeparator(null); // each line ends with its own break
			for (TraceRecord r : records) {
				r.write(g);
				g.writeRaw('\n');
			}
		}
	}

	/** The fields' names, quoted once (docs/trace.md has their order). */
	private static final SerializedString RECORD = name("record"), JOB = name("job"), TASK_ID = name("taskId"),
		TASK = name("task"), METADATA = name("metadata"), TRY = name("try"), WORKER = name("worker"),
		PROCESS = name("process"), MACHINE = name("machine"), INSTANCE_TYPE = name("instanceType"), ZONE = name("zone"),
		ENGINE = name("engine"), START_TIME = name("start"), END_TIME = name("end"), SECONDS = name("seconds"),
		OUTCOME = name("outcome"), REASON = name("reason"), BYTES_FETCHED = name("bytesFetched"),
		BYTES_STORED = name("bytesStored"), CPU_SECONDS = name("cpuSeconds"), PEAK_MEMORY = name("peakMemoryMiB");

	private static SerializedString name(String name) {
		return new SerializedString(name);
	}

	private void write(JsonGenerator g) throws IOException {
		g.writeStartObject();
		string(g, RECORD, record);
		string(g, JOB, job);
		string(g, TASK_ID, taskId);
		string(g, TASK, task);
		g.writeFieldName(METADATA);
		g.writeStartObject();
		for (Map.Entry<String, String> e : metadata.entrySet()) g.writeStringField(e.getKey(), e.getValue());
		g.writeEndObject();
		g.writeFieldName(TRY);
		g.writeNumber(attempt);
		string(g, WORKER, worker);
		string(g, PROCESS, process);
		string(g, MACHINE, machine);
		string(g, INSTANCE_TYPE, instanceType);
		string(g, ZONE, zone);
		string(g, ENGINE, engine);
		string(g, START_TIME, time(start));
		string(g, END_TIME, end == null ? null : time(end));
		number(g, SECONDS, seconds);
		string(g, OUTCOME, outcome.id());
		string(g, REASON, reason);
		g.writeFieldName(BYTES_FETCHED);
		g.writeNumber(bytesFetched);
		g.writeFieldName(BYTES_STORED);
		g.writeNumber(bytesStored);
		number(g, CPU_SECONDS, cpuSeconds);
		number(g, PEAK_MEMORY, peakMemoryMiB);
		g.writeEndObject();
	}

	private static void string(JsonGenerator g, SerializedString name, String value) throws IOException {
		g.writeFieldName(name);
		if (value == null) g.writeNull();
		else g.writeString(value);
	}

	/** Rounded to the thousandth, or null. */
	private static void number(JsonGenerator g, SerializedString name, Double value) throws IOException {
		g.writeFieldName(name);
		if (value == null) g.writeNull();
		else g.writeNumber(round(value));
	}

	private static double round(double v) {
		return Math.round(v * 1000) / 1000.0;
	}

	/**
	 * Reads one line; throws IllegalArgumentException naming the problem. A streaming parse: a report reads
	 * millions of lines.
	 */
	public static TraceRecord parse(String line) {
		String record = null, job = null, taskId = null, task = null, worker = null, process = null, machine = null;
		String instanceType = null, zone = null, engine = null, start = null, end = null, outcome = null, reason = null;
		Double seconds = null, cpu = null, memory = null;
		long fetched = 0, stored = 0;
		int attempt = 1;
		Map<String, String> metadata = new LinkedHashMap<>();
		try (JsonParser p = FACTORY.createParser(line)) {
			if (p.nextToken() != JsonToken.START_OBJECT) throw new IllegalArgumentException("not a JSON object");
			while (p.nextToken() == JsonToken.FIELD_NAME) {
				String field = p.currentName();
				JsonToken value = p.nextToken();
				switch (field) {
					case "metadata" -> {
						if (value == JsonToken.START_OBJECT) {
							while (p.nextToken() == JsonToken.FIELD_NAME) {
								String key = p.currentName();
								p.nextToken();
								metadata.put(key, p.getValueAsString());
							}
						}
						else p.skipChildren();
					}
					case "record" -> record = p.getValueAsString();
					case "job" -> job = p.getValueAsString();
					case "taskId" -> taskId = p.getValueAsString();
					case "task" -> task = p.getValueAsString();
					case "worker" -> worker = p.getValueAsString();
					case "process" -> process = p.getValueAsString();
					case "machine" -> machine = p.getValueAsString();
					case "instanceType" -> instanceType = p.getValueAsString();
					case "zone" -> zone = p.getValueAsString();
					case "engine" -> engine = p.getValueAsString();
					case "start" -> start = p.getValueAsString();
					case "end" -> end = p.getValueAsString();
					case "outcome" -> outcome = p.getValueAsString();
					case "reason" -> reason = p.getValueAsString();
					case "try" -> attempt = p.getValueAsInt(1);
					case "bytesFetched" -> fetched = p.getValueAsLong(0);
					case "bytesStored" -> stored = p.getValueAsLong(0);
					case "seconds" -> seconds = number(p, value);
					case "cpuSeconds" -> cpu = number(p, value);
					case "peakMemoryMiB" -> memory = number(p, value);
					default -> p.skipChildren();
				}
			}
		}
		catch (IOException e) {
			throw new IllegalArgumentException("not JSON: " + e.getMessage());
		}
		if (start == null) throw new IllegalArgumentException("no start");
		try {
			return new TraceRecord(record, job, taskId, task, metadata, attempt, worker, process, machine, instanceType, zone,
				engine, instant(start), end == null ? null : instant(end), seconds,
				outcome == null ? Outcome.STARTED : Outcome.of(outcome), reason, fetched, stored, cpu, memory);
		}
		catch (java.time.format.DateTimeParseException e) {
			throw new IllegalArgumentException("start or end is not an ISO-8601 time: " + e.getParsedString());
		}
		catch (IllegalArgumentException e) {
			throw new IllegalArgumentException("unknown outcome " + outcome);
		}
	}

	/** The last second of year 9999: later (and earlier than 1970) instants are left to {@link Instant#toString}. */
	private static final long LAST_FOUR_DIGIT_SECOND = 253_402_300_799L;

	/**
	 * {@link Instant#toString}, written without its formatter: a third of a record's JSON on the trace's thread, a
	 * tenth this way (docs/benchmarks.md, "The trace's cost per task"). The fraction in groups of three digits, as
	 * many as it needs, none when zero.
	 */
	static String time(Instant t) {
		long seconds = t.getEpochSecond();
		if (seconds < 0 || seconds > LAST_FOUR_DIGIT_SECOND) return t.toString();
		int nanos = t.getNano();
		int digits = nanos == 0 ? 0 : nanos % 1_000_000 == 0 ? 3 : nanos % 1000 == 0 ? 6 : 9;
		char[] c = new char[20 + (digits == 0 ? 0 : digits + 1)];
		java.time.LocalDate date = java.time.LocalDate.ofEpochDay(seconds / 86_400);
		int second = (int) (seconds % 86_400);
		put(c, 0, 4, date.getYear());
		c[4] = '-';
		put(c, 5, 2, date.getMonthValue());
		c[7] = '-';
		put(c, 8, 2, date.getDayOfMonth());
		c[10] = 'T';
		put(c, 11, 2, second / 3600);
		c[13] = ':';
		put(c, 14, 2, second / 60 % 60);
		c[16] = ':';
		put(c, 17, 2, second % 60);
		if (digits > 0) {
			c[19] = '.';
			put(c, 20, digits, digits == 3 ? nanos / 1_000_000 : digits == 6 ? nanos / 1000 : nanos);
		}
		c[c.length - 1] = 'Z';
		return new String(c);
	}

	/** {@code value} in {@code width} decimal digits, zero-padded, at {@code from}. */
	private static void put(char[] c, int from, int width, int value) {
		for (int i = from + width - 1; i >= from; i--, value /= 10) c[i] = (char) ('0' + value % 10);
	}

	/**
	 * An instant as {@link Instant#toString} writes it (yyyy-MM-ddTHH:mm:ss[.fraction]Z), read without a
	 * formatter (several times faster: a report reads two per line); any other form goes to {@link Instant#parse}.
	 */
	static Instant instant(String s) {
		int n = s.length();
		if (n < 20 || n > 30 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
			|| s.charAt(16) != ':' || s.charAt(n - 1) != 'Z' || n > 20 && s.charAt(19) != '.') return Instant.parse(s);
		int year = digits(s, 0, 4), month = digits(s, 5, 7), day = digits(s, 8, 10);
		int hour = digits(s, 11, 13), minute = digits(s, 14, 16), second = digits(s, 17, 19);
		int fraction = n > 21 ? digits(s, 20, n - 1) : 0;
		if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59
			|| second < 0 || second > 59 || fraction < 0 || n == 21) return Instant.parse(s);
		for (int i = n - 1 - 20; i < 9; i++) fraction *= 10;
		long days = java.time.LocalDate.of(year, month, day).toEpochDay();
		return Instant.ofEpochSecond(days * 86_400 + hour * 3600 + minute * 60 + second, n > 21 ? fraction : 0);
	}

	/** The decimal number in s[from, to), or -1 if a character is not a digit. */
	private static int digits(String s, int from, int to) {
		int v = 0;
		for (int i = from; i < to; i++) {
			char c = s.charAt(i);
			if (c < '0' || c > '9') return -1;
			v = v * 10 + (c - '0');
		}
		return v;
	}

	private static Double number(JsonParser p, JsonToken value) throws IOException {
		return value == JsonToken.VALUE_NULL ? null : p.getValueAsDouble();
	}
}
