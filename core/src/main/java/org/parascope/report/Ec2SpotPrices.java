package org.parascope.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeSpotPriceHistoryRequest;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
import software.amazon.awssdk.services.ec2.model.SpotPrice;

/**
 * {@link SpotPrices} from DescribeSpotPriceHistory (Linux/UNIX) and DescribeInstanceTypes. A machine's
 * cost integrates the price in effect over its lifetime: the history lists each change, and the price at
 * a time is the last change before it (the first listed when none is earlier).
 *
 * <p>moto's emulator answers every type and zone it offers with one price, 0.00001, stamped 2006, and
 * ignores the time window and the zone asked for (hence the zone filter here, which EC2 makes redundant):
 * costs from it are tiny and say nothing; the tests check the arithmetic only (docs/trace.md).
 */
public final class Ec2SpotPrices implements SpotPrices {

	private static final List<String> LINUX = List.of("Linux/UNIX", "Linux/UNIX (Amazon VPC)");
	private final Ec2Client ec2;

	public Ec2SpotPrices(Ec2Client ec2) {
		this.ec2 = ec2;
	}

	@Override
	public OptionalDouble cost(String type, String zone, Instant from, Instant to) {
		List<SpotPrice> history = new ArrayList<>(history(List.of(type), zone, from, to));
		// EC2 answers the zone asked for; moto answers every zone, which must not count.
		history.removeIf(p -> !zone.equals(p.availabilityZone()));
		if (history.isEmpty()) return OptionalDouble.empty();
		history.sort(Comparator.comparing(SpotPrice::timestamp));
		double usd = 0;
		for (int i = 0; i < history.size(); i++) {
			Instant start = i == 0 ? from : max(from, history.get(i).timestamp());
			Instant end = i + 1 < history.size() ? min(to, history.get(i + 1).timestamp()) : to;
			if (end.isAfter(start)) usd += Double.parseDouble(history.get(i).spotPrice()) * hours(start, end);
		}
		return OptionalDouble.of(usd);
	}

	@Override
	public Map<String, Double> latest(Collection<String> types) {
		Map<String, SpotPrice> newest = new HashMap<>();
		Instant now = Instant.now();
		for (SpotPrice p : history(types, null, now.minus(Duration.ofHours(6)), now)) {
			String key = p.instanceTypeAsString() + " " + p.availabilityZone();
			SpotPrice seen = newest.get(key);
			if (seen == null || p.timestamp().isAfter(seen.timestamp())) newest.put(key, p);
		}
		Map<String, Double> cheapest = new HashMap<>();
		for (SpotPrice p : newest.values()) {
			cheapest.merge(p.instanceTypeAsString(), Double.parseDouble(p.spotPrice()), Math::min);
		}
		return cheapest;
	}

	@Override
	public Map<String, Spec> specs(Collection<String> types) {
		Map<String, Spec> specs = new HashMap<>();
		String token = null;
		do {
			String next = token;
			var page = ec2.describeInstanceTypes(r -> r.instanceTypesWithStrings(types).nextToken(next));
			for (InstanceTypeInfo t : page.instanceTypes()) {
				specs.put(t.instanceTypeAsString(), new Spec(t.vCpuInfo().defaultVCpus(), t.memoryInfo().sizeInMiB()));
			}
			token = page.nextToken();
		}
		while (token != null && !token.isEmpty());
		return specs;
	}

	private List<SpotPrice> history(Collection<String> types, String zone, Instant from, Instant to) {
		List<SpotPrice> all = new ArrayList<>();
		DescribeSpotPriceHistoryRequest.Builder request = DescribeSpotPriceHistoryRequest.builder()
			.instanceTypesWithStrings(types).productDescriptions(LINUX).startTime(from).endTime(to);
		if (zone != null) request.availabilityZone(zone);
		String token = null;
		do {
			var page = ec2.describeSpotPriceHistory(request.nextToken(token).build());
			all.addAll(page.spotPriceHistory());
			token = page.nextToken();
		}
		while (token != null && !token.isEmpty());
		return all;
	}

	private static double hours(Instant a, Instant b) {
		return Duration.between(a, b).toMillis() / 3_600_000.0;
	}

	private static Instant max(Instant a, Instant b) {
		return a.isAfter(b) ? a : b;
	}

	private static Instant min(Instant a, Instant b) {
		return a.isBefore(b) ? a : b;
	}
}
