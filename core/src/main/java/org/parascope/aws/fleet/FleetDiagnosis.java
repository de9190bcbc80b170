package org.parascope.aws.fleet;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a fleet's problem events mean for the user, in one of three plain answers: AWS has no spare
 * capacity (wait, or change types or price), the account's quota is used up (ask for more), or the
 * request itself is wrong (waiting will not help).
 *
 * @param events the events that led to this answer
 */
public record FleetDiagnosis(Cause cause, List<FleetEvent> events) {

	public enum Cause {
		CAPACITY, QUOTA, CONFIGURATION
	}

	private static final List<String> QUOTA_WORDS = List.of("spotinstancecountlimitexceeded",
		"maxspotinstancecountexceeded", "vcpulimitexceeded", "instancelimitexceeded", "limit exceeded", "quota");
	private static final List<String> CAPACITY_WORDS = List.of("insufficientinstancecapacity", "insufficientcapacity",
		"insufficient capacity", "capacity-not-available", "capacity-oversubscribed", "price-too-low", "pricetoolow",
		"spot price", "launchspecunusable", "fleetprogresshalted", "unsupported");
	/** "Every launch specification failed several times": the reason is in other events, if any. */
	private static final List<String> AMBIGUOUS_WORDS = List.of("launchspecstemporarilyblacklisted",
		"launchspecstemporarilyblocklisted", "launchspectemporarilyblacklisted", "launchspectemporarilyblocklisted");

	public FleetDiagnosis {
		events = List.copyOf(events);
	}

	/**
	 * The diagnosis of a fleet's problem events, if any. A configuration problem wins over the others:
	 * it must be fixed whatever the capacity. When AWS only says it gave up on every launch
	 * specification, machines already running show that the configuration works (DCP's reasoning).
	 *
	 * @param running machines the fleet holds now
	 */
	public static Optional<FleetDiagnosis> of(List<FleetEvent> events, int running) {
		if (events.isEmpty()) return Optional.empty();
		for (Cause cause : List.of(Cause.CONFIGURATION, Cause.QUOTA, Cause.CAPACITY)) {
			List<FleetEvent> matching = events.stream().filter(e -> classify(e).filter(cause::equals).isPresent()).toList();
			if (!matching.isEmpty()) return Optional.of(new FleetDiagnosis(cause, matching));
		}
		return Optional.of(new FleetDiagnosis(running > 0 ? Cause.CAPACITY : Cause.CONFIGURATION, events));
	}

	/** The cause one event shows; empty when it shows none by itself. */
	static Optional<Cause> classify(FleetEvent event) {
		String text = (event.subtype() + " " + event.description()).toLowerCase(Locale.ROOT);
		if (QUOTA_WORDS.stream().anyMatch(text::contains)) return Optional.of(Cause.QUOTA);
		if (CAPACITY_WORDS.stream().anyMatch(text::contains)) return Optional.of(Cause.CAPACITY);
		if (AMBIGUOUS_WORDS.stream().anyMatch(text::contains)) return Optional.empty();
		return Optional.of(Cause.CONFIGURATION);
	}

	/** Whether waiting longer may help: AWS keeps trying while capacity or quota is short. */
	public boolean mayPass() {
		return cause != Cause.CONFIGURATION;
	}

	/**
	 * A paragraph for the user: the kind of problem, what to do, and what AWS said.
	 *
	 * @param source where the machines were described: a fleet file, or "the config"
	 */
	public String explain(MachinePlan machines, String source) {
		String advice = switch (cause) {
			case CAPACITY -> "AWS has no spare spot capacity for these machines at this price right now. This is a "
				+ "capacity problem, not a configuration mistake: try more or other MACHINE_TYPEs (now "
				+ String.join(", ", machines.instanceTypes()) + "), a higher MACHINE_PRICE (now $" + machines.maxPrice()
				+ " per machine-hour), another AWS_REGION, or simply later.";
			case QUOTA -> "The account's spot instance quota is used up. This is a quota problem: ask AWS for a "
				+ "higher 'All Standard Spot Instance Requests' vCPU quota (Service Quotas console), or lower "
				+ "CLUSTER_MACHINES.";
			case CONFIGURATION -> "AWS cannot launch machines as requested. This is a configuration problem that "
				+ "waiting will not fix: check the image, the IAM roles and instance profile ('parascope init-account' "
				+ "creates them), the subnets and the security groups of " + source + ".";
		};
		return advice + "\nAWS said:\n  " + events.stream().map(FleetEvent::toString).distinct().limit(5)
			.collect(Collectors.joining("\n  "));
	}
}
