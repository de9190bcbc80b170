package org.parascope.job;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.parascope.ParascopeException;
import org.parascope.job.TaskMapping.Mapped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A job file, validated whole, whose tasks are streamed. Reads Parascope's own format and the job files
 * of Distributed-CellProfiler, Distributed-Fiji and Distributed-Something unchanged (docs/jobs.md).
 * Only the job-level keys and the tasks' metadata ids stay in memory, never the groups.
 */
public final class Job {

	/** The job file formats Parascope reads, detected from the file's keys. */
	public enum Format { NATIVE, DCP, DF, DS }

	private final Path file;
	private final JobKeys keys;
	private final long taskCount;

	private Job(Path file, JobKeys keys, long taskCount) {
		this.file = file;
		this.keys = keys;
		this.taskCount = taskCount;
	}

	/**
	 * Reads and validates the whole file in one streaming pass; throws JobException naming file and JSON
	 * path of every problem. The groups are checked as they stream past, against the job-level keys read
	 * before them. Key order is free in JSON, though: if job-level keys follow the group list, those
	 * checks were made against an incomplete job, so the groups are checked again in a second pass.
	 */
	public static Job read(Path file) {
		String name = fileName(file);
		Problems problems = new Problems(name);
		Map<String, JsonNode> topLevel = new LinkedHashMap<>();
		Problems groupProblems = null;
		long count = 0;
		boolean keysAfterGroups = false;
		try (JobFile in = JobFile.open(file, problems)) {
			for (String key = in.nextKey(); key != null; key = in.nextKey()) {
				if (groupProblems != null && !Fields.isComment(key)) keysAfterGroups = true;
				boolean list = in.atList();
				if (!list || !(key.equals("groups") || key.equals("tasks"))) {
					topLevel.put(key, in.value());
					continue;
				}
				topLevel.put(key, JobFile.STREAMED);
				Format format = JobKeys.detect(topLevel.keySet());
				if (groupProblems == null && format != null && JobKeys.groupList(format).equals(key)) {
					groupProblems = new Problems(name);
					// The job-level keys' own problems are reported once, from the whole top level, below.
					JobKeys keysSoFar = JobKeys.of(format, topLevel, new Problems(name));
					count = checkGroups(in, key, keysSoFar, groupProblems);
				} else {
					// Not this job's group list, or the format is not known yet: checked after the pass.
					in.skipValue();
				}
			}
			Format format = JobKeys.detect(topLevel.keySet());
			if (format == null) throw problems.fail("", "not a job file: expected one of the keys " + JobKeys.DETECTION
				+ ", found " + (topLevel.isEmpty() ? "none" : String.join(", ", topLevel.keySet())));
			JobKeys keys = JobKeys.of(format, topLevel, problems);
			String list = JobKeys.groupList(format);
			JsonNode groups = topLevel.get(list);
			if (groups == null) {
				problems.add("", "missing key \"" + list + "\" (the list of groups)");
			} else if (groups != JobFile.STREAMED) {
				problems.add(list, "expected a list of groups, got " + Fields.describe(groups));
			} else {
				if (groupProblems == null || keysAfterGroups) {
					groupProblems = new Problems(name);
					count = checkGroupsAgain(file, list, keys, groupProblems);
				}
				problems.addAll(groupProblems);
			}
			problems.throwIfAny();
			return new Job(file, keys, count);
		} catch (IOException e) {
			throw failure(file, e);
		}
	}

	/** Streams the tasks in file order (a second pass over the file: memory stays flat). */
	public void forEachTask(Consumer<Task> sink) {
		Problems problems = new Problems(fileName(file));
		String list = JobKeys.groupList(keys.format());
		try (JobFile in = JobFile.open(file, problems)) {
			if (!in.seek(list)) throw problems.fail("", "the group list \"" + list + "\" is gone: the file changed"
				+ " since it was read");
			int index = 0;
			for (JsonNode group = in.nextElement(); group != null; group = in.nextElement(), index++) {
				Mapped mapped = TaskMapping.map(keys, group, Integer.toString(index), list + "[" + index + "]",
					problems);
				// Problems now mean the file changed since read() validated it.
				problems.throwIfAny();
				sink.accept(mapped.task());
			}
		} catch (IOException e) {
			throw failure(file, e);
		}
	}

	public Format format() {
		return keys.format();
	}

	/** The native format's name, else the file's name without its extension. */
	public String name() {
		if (keys.name() != null) return keys.name();
		String name = fileName(file);
		int dot = name.lastIndexOf('.');
		return dot > 0 ? name.substring(0, dot) : name;
	}

	public Path file() {
		return file;
	}

	public long taskCount() {
		return taskCount;
	}

	/** Maps every group as it streams past and checks that no two share a metadata id; returns the count. */
	private static int checkGroups(JobFile in, String list, JobKeys keys, Problems problems) throws IOException {
		MetadataIds ids = new MetadataIds();
		int index = 0;
		for (JsonNode group = in.nextElement(); group != null; group = in.nextElement(), index++) {
			String path = list + "[" + index + "]";
			Mapped mapped = TaskMapping.map(keys, group, Integer.toString(index), path, problems);
			if (mapped == null) continue;
			int earlier = ids.add(mapped.metadataId(), index);
			if (earlier >= 0) problems.add(path, "metadata id \"" + mapped.metadataId() + "\" is also the id of "
				+ list + "[" + earlier + "]: both tasks would write the same output folder");
		}
		if (index == 0) problems.add(list, "no groups: a job needs at least one");
		return index;
	}

	private static int checkGroupsAgain(Path file, String list, JobKeys keys, Problems problems) throws IOException {
		try (JobFile in = JobFile.open(file, problems)) {
			in.seek(list);
			return checkGroups(in, list, keys, problems);
		}
	}

	private static ParascopeException failure(Path file, IOException e) {
		Problems problems = new Problems(fileName(file));
		if (e instanceof JsonProcessingException malformed) return problems.fail("", JobFile.malformed(malformed));
		if (e instanceof NoSuchFileException) return problems.fail("", "no such file: " + file.toAbsolutePath());
		return problems.fail("", "cannot read: " + e.getMessage());
	}

	private static String fileName(Path file) {
		return String.valueOf(file.getFileName());
	}
}
