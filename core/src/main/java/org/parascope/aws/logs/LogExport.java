package org.parascope.aws.logs;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.parascope.ParascopeException;
import org.parascope.Ticker;
import org.parascope.aws.AwsClients;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudwatchlogs.model.ExportTask;
import software.amazon.awssdk.services.cloudwatchlogs.model.ExportTaskStatusCode;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.LimitExceededException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The teardown's export of a run's log groups to s3://AWS_BUCKET/exportedlogs/GROUP/, as DCP does; the
 * groups themselves are kept (their retention ends them), so that {@code parascope logs} keeps working.
 * CloudWatch runs one export per account at a time, so a busy account is waited for too. A marker beside
 * the exports records how far they reach, so that a repeated teardown exports nothing twice.
 */
public final class LogExport {

	/** What the export of one group came to: a line to report, and whether it is a problem (then maybe weather). */
	public record Exported(String line, boolean problem, Optional<Throwable> weather) {
		static Exported said(String line) {
			return new Exported(line, false, Optional.empty());
		}
	}

	/** Where exported logs go in AWS_BUCKET: DCP's prefix, one folder per log group. */
	public static final String PREFIX = "exportedlogs/";
	/** Beside each group's exports: up to when they reach, so that a repeated teardown exports nothing twice. */
	static final String MARKER = "parascope-export.json";
	private static final JsonMapper JSON = new JsonMapper();

	private final AwsClients aws;
	private final String app;
	private final Ticker ticker;
	private final Duration poll;
	private final Duration timeout;

	/** @param app names the export tasks; @param timeout how long an export (and a busy account) is waited for */
	public LogExport(AwsClients aws, String app, Ticker ticker, Duration poll, Duration timeout) {
		this.aws = aws;
		this.app = app;
		this.ticker = ticker;
		this.poll = poll;
		this.timeout = timeout;
	}

	/**
	 * Exports the group's events since the last export (or since {@code logsFrom}, the fleet's start) to
	 * s3://BUCKET/exportedlogs/GROUP/ and waits for it.
	 */
	public Exported export(String group, Optional<String> toBucket, Instant logsFrom) {
		if (toBucket.isEmpty()) return Exported.said("kept: log group " + group + " (not exported: AWS_BUCKET is not set)");
		String bucket = toBucket.get();
		String prefix = PREFIX + group;
		boolean exists = aws.logs().describeLogGroups(b -> b.logGroupNamePrefix(group)).logGroups().stream()
			.anyMatch(g -> g.logGroupName().equals(group));
		if (!exists) return Exported.said("already gone: log group " + group + " (nothing to export)");
		Optional<Instant> exportedTo = exportedTo(bucket, prefix);
		Instant from = exportedTo.map(t -> t.plusMillis(1)).filter(t -> t.isAfter(logsFrom)).orElse(logsFrom);
		Instant to = ticker.now();
		if (!hasEvents(group, from, to)) {
			return Exported.said(exportedTo.isPresent() ? "already exported: log group " + group + " (to s3://" + bucket + "/"
				+ prefix + "/)" : "nothing to export: log group " + group + " (no events)");
		}
		String taskId = startExport(group, bucket, prefix, from, to);
		ExportTask task = awaitExport(taskId);
		if (task == null) {
			return new Exported("still running: export of log group " + group + " (task " + taskId + ", after "
				+ timeout.toMinutes() + " min); run 'parascope cleanup' later to check", true,
				Optional.of(new ParascopeException("export of log group " + group + " still running")));
		}
		if (task.status().code() == ExportTaskStatusCode.COMPLETED) {
			writeMarker(bucket, prefix, to);
			return Exported.said("exported: log group " + group + " to s3://" + bucket + "/" + prefix + "/");
		}
		return new Exported("failed: export of log group " + group + ": " + task.status().code() + " "
			+ task.status().message(), true, Optional.empty());
	}

	private boolean hasEvents(String group, Instant from, Instant to) {
		String token = null;
		do {
			String next = token;
			FilterLogEventsResponse page = aws.logs().filterLogEvents(b -> b.logGroupName(group)
				.startTime(from.toEpochMilli()).endTime(to.toEpochMilli()).limit(1).nextToken(next));
			if (!page.events().isEmpty()) return true;
			token = page.nextToken();
		}
		while (token != null);
		return false;
	}

	private String startExport(String group, String bucket, String prefix, Instant from, Instant to) {
		Instant deadline = ticker.now().plus(timeout);
		while (true) {
			try {
				return aws.logs().createExportTask(b -> b.taskName(app + "-" + to.toEpochMilli())
					.logGroupName(group).from(from.toEpochMilli()).to(to.toEpochMilli()).destination(bucket)
					.destinationPrefix(prefix)).taskId();
			}
			catch (LimitExceededException e) {
				// Another export of this account is running: CloudWatch allows one at a time.
				if (!ticker.now().isBefore(deadline)) throw e;
				ticker.sleep(poll);
			}
		}
	}

	/** The finished task, or null if it is still running at the timeout. */
	private ExportTask awaitExport(String taskId) {
		Instant deadline = ticker.now().plus(timeout);
		while (true) {
			ExportTask task = aws.logs().describeExportTasks(b -> b.taskId(taskId)).exportTasks().get(0);
			ExportTaskStatusCode code = task.status().code();
			if (code == ExportTaskStatusCode.COMPLETED || code == ExportTaskStatusCode.FAILED
				|| code == ExportTaskStatusCode.CANCELLED) return task;
			if (!ticker.now().isBefore(deadline)) return null;
			ticker.sleep(poll);
		}
	}

	private Optional<Instant> exportedTo(String bucket, String prefix) {
		try {
			byte[] bytes = aws.s3().getObjectAsBytes(b -> b.bucket(bucket).key(prefix + "/" + MARKER)).asByteArray();
			JsonNode to = JSON.readTree(bytes).get("to");
			return to != null && to.canConvertToLong() ? Optional.of(Instant.ofEpochMilli(to.asLong())) : Optional.empty();
		}
		catch (NoSuchKeyException e) {
			return Optional.empty();
		}
		catch (IOException e) {
			return Optional.empty(); // an unreadable marker only means exporting again
		}
	}

	private void writeMarker(String bucket, String prefix, Instant to) {
		String body = JSON.createObjectNode().put("logGroup", prefix.substring(PREFIX.length()))
			.put("to", to.toEpochMilli()).toString();
		aws.s3().putObject(b -> b.bucket(bucket).key(prefix + "/" + MARKER).contentType("application/json"),
			RequestBody.fromString(body));
	}
}
