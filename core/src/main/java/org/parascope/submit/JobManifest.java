package org.parascope.submit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

import org.parascope.ParascopeException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The local record of one submitted job, {@code files/<APP_NAME>Jobs/<sha256>.json} next to DCP's
 * monitor file: which job file (and content) went to which queue, and how many of its tasks the queue
 * confirmed, which went unanswered and which may be queued twice (docs/queue.md, "What SQS guarantees").
 * Kept up to date while sending; after an interruption or failure it says exactly how far it got, and
 * {@code submit --resume} sends the rest.
 *
 * @param sha256 SHA-256 of the job file's bytes: the same content is the same job
 * @param tally  what the queue confirmed; while {@code sending}, refreshed every second
 * @param error  why sending stopped, or null
 */
public record JobManifest(String jobId, String jobFile, String sha256, String queue, String region, long taskCount,
	Tally tally, State state, String error, Instant startedAt, Instant updatedAt)
{
	/** The record's format: 2 lists the tasks by number; 1 (before) had counts only. */
	static final int FORMAT = 2;

	/**
	 * The tasks by number (0 is the job's first): those the queue confirmed, those whose requests went
	 * unanswered (they may be queued, once or more), and those confirmed after an unanswered request of
	 * them (queued once or twice). A record of format 1 has the counts only: its ranges are null.
	 *
	 * @param sendsUnanswered requests whose answer never came (timeouts, cut connections, 5xx)
	 */
	public record Tally(long tasksSent, long tasksUnconfirmed, long tasksPossiblyDuplicated, long sendsUnanswered,
		TaskRanges confirmedTasks, TaskRanges unansweredTasks, TaskRanges possiblyDuplicatedTasks)
	{
		public static final Tally NONE = of(new TaskRanges(), new TaskRanges(), new TaskRanges(), 0);

		public static Tally of(TaskRanges confirmed, TaskRanges unanswered, TaskRanges duplicated, long sendsUnanswered) {
			return new Tally(confirmed.size(), unanswered.size(), duplicated.size(), sendsUnanswered, confirmed, unanswered,
				duplicated);
		}

		/** Whether it says which tasks: false for a record of an older Parascope. */
		public boolean byTask() {
			return confirmedTasks != null;
		}
	}

	/** Tasks the queue confirmed. */
	public long tasksSent() {
		return tally.tasksSent();
	}

	/** Tasks whose requests went unanswered: they may or may not be queued. */
	public long tasksUnconfirmed() {
		return tally.tasksUnconfirmed();
	}

	/** Tasks the queue confirmed after an unanswered request of them: queued once or twice. */
	public long tasksPossiblyDuplicated() {
		return tally.tasksPossiblyDuplicated();
	}

	public enum State {
		/** Being sent (or the sending process died without a word: then tasksSent is a lower bound). */
		SENDING,
		/** Every task was confirmed. */
		COMPLETE,
		/** An error stopped the sending. */
		FAILED,
		/** The process was stopped (Ctrl-C). */
		INTERRUPTED;

		public String id() {
			return name().toLowerCase(Locale.ROOT);
		}
	}

	private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	/** The folder of an application's manifests under {@code dir}, where DCP keeps its monitor file. */
	public static Path folder(Path dir, String app) {
		return dir.resolve("files").resolve(app + "Jobs");
	}

	public static Path file(Path folder, String sha256) {
		return folder.resolve(sha256 + ".json");
	}

	public JobManifest with(Tally newTally, State newState, String why) {
		return new JobManifest(jobId, jobFile, sha256, queue, region, taskCount, newTally, newState, why, startedAt,
			Instant.now());
	}

	public static Optional<JobManifest> read(Path file) {
		if (!Files.exists(file)) return Optional.empty();
		try {
			JsonNode m = JSON.readTree(file.toFile());
			String state = text(m, "state");
			Tally tally = m.has("confirmedTasks")
				? Tally.of(TaskRanges.fromJson(m.get("confirmedTasks"), "confirmedTasks"),
					TaskRanges.fromJson(m.path("unansweredTasks"), "unansweredTasks"),
					TaskRanges.fromJson(m.path("possiblyDuplicatedTasks"), "possiblyDuplicatedTasks"),
					m.path("sendsUnanswered").asLong())
				: new Tally(m.path("tasksSent").asLong(), m.path("tasksUnconfirmed").asLong(), 0, 0, null, null, null);
			return Optional.of(new JobManifest(text(m, "jobId"), text(m, "jobFile"), text(m, "sha256"), text(m, "queue"),
				text(m, "region"), m.path("taskCount").asLong(), tally, State.valueOf(state.toUpperCase(Locale.ROOT)),
				text(m, "error"), instant(m, "startedAt"), instant(m, "updatedAt")));
		}
		catch (IOException | RuntimeException e) {
			throw new ParascopeException(file + ": not a job manifest (" + e.getMessage() + "); delete it to submit the job again");
		}
	}

	/** Every manifest in the folder, oldest first. */
	public static List<JobManifest> all(Path folder) {
		if (!Files.isDirectory(folder)) return List.of();
		List<JobManifest> all = new ArrayList<>();
		try (Stream<Path> files = Files.list(folder)) {
			for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) read(f).ifPresent(all::add);
		}
		catch (IOException e) {
			throw new ParascopeException(folder + ": cannot list the job manifests: " + e.getMessage());
		}
		all.sort(Comparator.comparing(JobManifest::startedAt));
		return all;
	}

	/** Replaces the file whole, so that a reader (or a killed writer) never sees half of one. */
	public void write(Path file) {
		try {
			Files.createDirectories(file.toAbsolutePath().getParent());
			Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
			JSON.writeValue(temp.toFile(), toJson());
			Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException e) {
			throw new ParascopeException(file + ": cannot write the job manifest: " + e.getMessage());
		}
	}

	public ObjectNode toJson() {
		ObjectNode m = JSON.createObjectNode().put("parascopeJobManifest", tally.byTask() ? FORMAT : 1).put("jobId", jobId)
			.put("jobFile", jobFile).put("sha256", sha256).put("queue", queue).put("region", region).put("taskCount", taskCount)
			.put("tasksSent", tally.tasksSent()).put("tasksUnconfirmed", tally.tasksUnconfirmed());
		if (tally.byTask()) {
			m.put("tasksPossiblyDuplicated", tally.tasksPossiblyDuplicated()).put("sendsUnanswered", tally.sendsUnanswered());
		}
		m.put("state", state.id());
		if (error != null) m.put("error", error);
		m.put("startedAt", startedAt.toString()).put("updatedAt", updatedAt.toString());
		if (tally.byTask()) {
			m.set("confirmedTasks", tally.confirmedTasks().toJson());
			m.set("unansweredTasks", tally.unansweredTasks().toJson());
			m.set("possiblyDuplicatedTasks", tally.possiblyDuplicatedTasks().toJson());
		}
		return m;
	}

	private static String text(JsonNode m, String key) {
		JsonNode v = m.get(key);
		return v == null || v.isNull() ? null : v.asText();
	}

	private static Instant instant(JsonNode m, String key) {
		String v = text(m, key);
		return v == null ? Instant.EPOCH : Instant.parse(v);
	}
}
