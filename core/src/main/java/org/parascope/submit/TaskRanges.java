package org.parascope.submit;

import java.util.Map;
import java.util.TreeMap;

import org.parascope.ParascopeException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * A set of task numbers (0 for the job's first task, in the job file's order) kept as ranges, so
 * that a million confirmed tasks take one entry: {@code [[0, 999999]]} in a job's record.
 */
public final class TaskRanges {

	/** First number of each range to its last, ranges apart (never touching). */
	private final TreeMap<Long, Long> ranges = new TreeMap<>();
	private long size;

	public static TaskRanges of(long first, long last) {
		TaskRanges r = new TaskRanges();
		if (first <= last) r.addRange(first, last);
		return r;
	}

	public synchronized TaskRanges copy() {
		TaskRanges c = new TaskRanges();
		c.ranges.putAll(ranges);
		c.size = size;
		return c;
	}

	public synchronized long size() {
		return size;
	}

	public synchronized boolean isEmpty() {
		return size == 0;
	}

	public synchronized boolean contains(long task) {
		Map.Entry<Long, Long> e = ranges.floorEntry(task);
		return e != null && e.getValue() >= task;
	}

	public synchronized void add(long task) {
		if (!contains(task)) addRange(task, task);
	}

	public synchronized void addAll(TaskRanges other) {
		for (Map.Entry<Long, Long> e : other.copy().ranges.entrySet()) {
			// The parts of the range not in this set yet, each added whole.
			long next = e.getKey();
			while (next <= e.getValue()) {
				Map.Entry<Long, Long> covering = ranges.floorEntry(next);
				if (covering != null && covering.getValue() >= next) {
					next = covering.getValue() + 1;
					continue;
				}
				Long following = ranges.ceilingKey(next);
				long last = following == null ? e.getValue() : Math.min(e.getValue(), following - 1);
				addRange(next, last);
				next = last + 1;
			}
		}
	}

	public synchronized void remove(long task) {
		Map.Entry<Long, Long> e = ranges.floorEntry(task);
		if (e == null || e.getValue() < task) return;
		ranges.remove(e.getKey());
		if (e.getKey() < task) ranges.put(e.getKey(), task - 1);
		if (task < e.getValue()) ranges.put(task + 1, e.getValue());
		size--;
	}

	/** The numbers from 0 to {@code count - 1} that are not in this set. */
	public synchronized TaskRanges complement(long count) {
		TaskRanges c = new TaskRanges();
		long next = 0;
		for (Map.Entry<Long, Long> e : ranges.entrySet()) {
			if (e.getKey() >= count) break;
			if (e.getKey() > next) c.addRange(next, e.getKey() - 1);
			next = e.getValue() + 1;
		}
		if (next < count) c.addRange(next, count - 1);
		return c;
	}

	/** Adds a range that touches or overlaps none of this set's (callers check). */
	private void addRange(long first, long last) {
		Map.Entry<Long, Long> before = ranges.floorEntry(first - 1);
		long from = first, to = last;
		if (before != null && before.getValue() == first - 1) {
			from = before.getKey();
			ranges.remove(before.getKey());
		}
		Long after = ranges.get(last + 1);
		if (after != null) {
			to = after;
			ranges.remove(last + 1);
		}
		ranges.put(from, to);
		size += last - first + 1;
	}

	/** {@code [[first, last], ...]}, both ends included. */
	public synchronized ArrayNode toJson() {
		ArrayNode a = JsonNodeFactory.instance.arrayNode();
		ranges.forEach((first, last) -> a.addArray().add(first).add(last));
		return a;
	}

	public static TaskRanges fromJson(JsonNode node, String key) {
		if (!node.isArray()) throw new ParascopeException(key + ": expected [[first, last], ...], got " + node);
		TaskRanges r = new TaskRanges();
		long end = -1;
		for (JsonNode pair : node) {
			if (!pair.isArray() || pair.size() != 2 || !pair.get(0).canConvertToLong() || !pair.get(1).canConvertToLong()) {
				throw new ParascopeException(key + ": expected [first, last] pairs of task numbers, got " + pair);
			}
			long first = pair.get(0).asLong(), last = pair.get(1).asLong();
			if (first <= end || last < first) throw new ParascopeException(key + ": ranges out of order at " + pair);
			r.addRange(first, last);
			end = last;
		}
		return r;
	}

	@Override
	public synchronized String toString() {
		StringBuilder s = new StringBuilder();
		ranges.forEach((first, last) -> s.append(s.isEmpty() ? "" : ", ").append(first.equals(last) ? "" + first : first + "-" + last));
		return s.toString();
	}
}
