package org.parascope.report;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.OptionalDouble;

/** Prices of machines, from EC2's spot price history (docs/trace.md). */
public interface SpotPrices {

	/** What a machine of {@code type} in {@code zone} cost over [from, to], USD; empty when the history has no price. */
	OptionalDouble cost(String type, String zone, Instant from, Instant to);

	/** The latest hourly price of each type, in its cheapest zone of the region; types without one are left out. */
	Map<String, Double> latest(Collection<String> types);

	/** vCPUs and memory (MiB) of each type; types EC2 does not know are left out. */
	Map<String, Spec> specs(Collection<String> types);

	record Spec(int vcpus, long memoryMiB) {}
}
