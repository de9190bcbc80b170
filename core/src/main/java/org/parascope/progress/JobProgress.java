package org.parascope.progress;

import java.time.Duration;
import java.util.Optional;

/**
 * Where a job stands; every face renders this (a terminal bar, a Fiji window, CellProfiler text).
 *
 * @param succeeded ran and stored their results
 * @param skipped   found already done (CHECK_IF_DONE)
 * @param dead      failed every try
 * @param retries   failed tries so far, of any task
 */
public record JobProgress(long total, long succeeded, long skipped, long dead, long running, long waiting,
	long retries, Duration elapsed)
{
	public long finished() {
		return succeeded + skipped + dead;
	}

	/** Tasks finished per second so far. */
	public double throughput() {
		double seconds = elapsed.toMillis() / 1000.0;
		return seconds <= 0 ? 0 : finished() / seconds;
	}

	/** At the pace so far; empty until the first task finishes. */
	public Optional<Duration> eta() {
		double rate = throughput();
		if (rate <= 0) return Optional.empty();
		return Optional.of(Duration.ofMillis((long) ((total - finished()) / rate * 1000)));
	}
}
