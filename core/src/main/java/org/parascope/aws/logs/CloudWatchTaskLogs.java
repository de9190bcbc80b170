package org.parascope.aws.logs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.parascope.ParascopeException;
import org.parascope.aws.AwsErrors;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.cloudwatchlogs.model.OrderBy;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * The logs of tasks in one CloudWatch log group (LOG_GROUP_NAME): workers ship each task's lines
 * there; {@code parascope logs TASK} prints them.
 *
 * <p>The naming contract: one log stream per task, named after the task's label (its metadata,
 * {@code Metadata_Plate=P1, Metadata_Well=A01}; {@code task 7} without metadata), with every ':'
 * and '*' (which CloudWatch refuses in stream names) replaced by '_'. A label longer than
 * CloudWatch's 512 characters keeps its first 495 and ends in '~' and 16 hex digits of the
 * label's SHA-256, so long labels stay apart. Every attempt at a task appends to the same stream.
 */
public final class CloudWatchTaskLogs {

	static final int MAX_STREAM_NAME = 512;
	/** PutLogEvents limits: events per call, bytes per call (a message's UTF-8 bytes + 26 each), bytes per event. */
	static final int MAX_EVENTS = 10_000, MAX_BATCH_BYTES = 1_048_576, EVENT_OVERHEAD = 26,
		MAX_MESSAGE_BYTES = 262_144 - EVENT_OVERHEAD;
	/** How many matching names an ambiguous TASK lists. */
	private static final int SHOWN = 20;

	private final CloudWatchLogsClient logs;
	private final String group;
	private final Set<String> created = ConcurrentHashMap.newKeySet();

	public CloudWatchTaskLogs(CloudWatchLogsClient logs, String group) {
		this.logs = logs;
		this.group = group;
	}

	/** The log stream of the task with this label. */
	public static String streamName(String label) {
		String name = label.replace(':', '_').replace('*', '_');
		if (name.length() <= MAX_STREAM_NAME) return name;
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(label.getBytes(StandardCharsets.UTF_8));
			return name.substring(0, MAX_STREAM_NAME - 17) + "~" + HexFormat.of().formatHex(hash, 0, 8);
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("every Java has SHA-256", e);
		}
	}

	/**
	 * Appends lines to the task's stream (created on first use), stamped with the current time.
	 * Call it as lines come, so their times mean something; the log group must exist (setup).
	 */
	public void ship(String label, List<String> lines) {
		String stream = streamName(label);
		try {
			if (created.add(stream)) create(stream);
			for (List<InputLogEvent> batch : batches(lines, System.currentTimeMillis())) {
				logs.putLogEvents(b -> b.logGroupName(group).logStreamName(stream).logEvents(batch));
			}
		}
		catch (ResourceNotFoundException e) {
			created.remove(stream);
			throw missingGroup();
		}
		catch (SdkException e) {
			throw AwsErrors.failure("shipping the log of task " + label + " to log group " + group, e);
		}
	}

	private void create(String stream) {
		try {
			logs.createLogStream(b -> b.logGroupName(group).logStreamName(stream));
		}
		catch (ResourceAlreadyExistsException e) {
			// Another worker, or an earlier attempt at the task, made it: lines are appended.
		}
		catch (RuntimeException e) {
			created.remove(stream);
			throw e;
		}
	}

	/** Lines as PutLogEvents calls within its limits; a line too long for one event is split. */
	static List<List<InputLogEvent>> batches(List<String> lines, long timestamp) {
		List<List<InputLogEvent>> batches = new ArrayList<>();
		List<InputLogEvent> batch = new ArrayList<>();
		int bytes = 0;
		for (String line : lines) {
			for (String message : pieces(line)) {
				int size = utf8Length(message) + EVENT_OVERHEAD;
				if (batch.size() == MAX_EVENTS || bytes + size > MAX_BATCH_BYTES) {
					batches.add(batch);
					batch = new ArrayList<>();
					bytes = 0;
				}
				batch.add(InputLogEvent.builder().timestamp(timestamp).message(message).build());
				bytes += size;
			}
		}
		if (!batch.isEmpty()) batches.add(batch);
		return batches;
	}

	/** A line as messages of at most MAX_MESSAGE_BYTES, cut between characters; "" becomes " " (CloudWatch refuses empty messages). */
	private static List<String> pieces(String line) {
		if (line.isEmpty()) return List.of(" ");
		List<String> pieces = new ArrayList<>();
		int start = 0, bytes = 0;
		for (int i = 0; i < line.length(); ) {
			int cp = line.codePointAt(i);
			int size = utf8Length(cp);
			if (bytes + size > MAX_MESSAGE_BYTES) {
				pieces.add(line.substring(start, i));
				start = i;
				bytes = 0;
			}
			bytes += size;
			i += Character.charCount(cp);
		}
		pieces.add(line.substring(start));
		return pieces;
	}

	private static int utf8Length(String s) {
		return s.codePoints().map(CloudWatchTaskLogs::utf8Length).sum();
	}

	private static int utf8Length(int codePoint) {
		return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
	}

	/**
	 * The stream of the one task whose label is {@code task} or starts with it. Fails, listing
	 * them, when several match; fails plainly when none does or the log group is missing.
	 */
	public String find(String task) {
		if (task.isBlank()) throw new ParascopeException("TASK is empty: give a task's label or its beginning");
		String prefix = task.replace(':', '_').replace('*', '_');
		if (prefix.length() > MAX_STREAM_NAME) prefix = streamName(task);
		String wanted = prefix;
		List<String> matches = new ArrayList<>();
		try {
			// In name order an exact match comes first; stop once the answer is clear.
			for (LogStream s : logs.describeLogStreamsPaginator(b -> b.logGroupName(group).logStreamNamePrefix(wanted)
				.orderBy(OrderBy.LOG_STREAM_NAME)).logStreams())
			{
				if (s.logStreamName().equals(wanted)) return wanted;
				matches.add(s.logStreamName());
				if (matches.size() > SHOWN) break;
			}
		}
		catch (ResourceNotFoundException e) {
			throw missingGroup();
		}
		catch (SdkException e) {
			throw AwsErrors.failure("looking for the log of task " + task + " in log group " + group, e);
		}
		if (matches.size() == 1) return matches.get(0);
		if (matches.isEmpty()) throw new ParascopeException("no task log in log group " + group + " is named '" + task
			+ "' or starts with it" + example());
		StringBuilder b = new StringBuilder("several task logs in log group " + group + " start with '" + task + "':");
		matches.stream().limit(SHOWN).forEach(m -> b.append("\n  ").append(m));
		if (matches.size() > SHOWN) b.append("\n  ...");
		throw new ParascopeException(b.append("\ngive more of the task's label to pick one.").toString());
	}

	/** Hands every line of a task's stream to {@code line}, oldest first, a page at a time. */
	public void read(String stream, Consumer<String> line) {
		String token = null;
		try {
			while (true) {
				String from = token;
				GetLogEventsResponse page = logs.getLogEvents(b -> b.logGroupName(group).logStreamName(stream)
					.startFromHead(true).nextToken(from));
				page.events().forEach(e -> line.accept(e.message()));
				// At the end, CloudWatch hands back the token it was given.
				if (page.nextForwardToken() == null || page.nextForwardToken().equals(from)) return;
				token = page.nextForwardToken();
			}
		}
		catch (ResourceNotFoundException e) {
			throw new ParascopeException("log group " + group + " has no log stream " + stream);
		}
		catch (SdkException e) {
			throw AwsErrors.failure("reading log stream " + stream + " of log group " + group, e);
		}
	}

	/** A note naming one stream of the group, so people see what the names look like. */
	private String example() {
		try {
			return logs.describeLogStreams(b -> b.logGroupName(group).limit(1)).logStreams().stream()
				.map(s -> " (task logs are named after the task's metadata, e.g. '" + s.logStreamName() + "')")
				.findFirst().orElse(" (it holds no task logs yet)");
		}
		catch (SdkException e) {
			return "";
		}
	}

	private ParascopeException missingGroup() {
		return new ParascopeException("log group " + group + " does not exist (LOG_GROUP_NAME): "
			+ "'parascope setup' creates it, and workers ship each task's log there");
	}
}
