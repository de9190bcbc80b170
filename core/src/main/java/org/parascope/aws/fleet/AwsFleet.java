package org.parascope.aws.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.parascope.ParascopeException;
import org.parascope.aws.AwsClients;
import org.parascope.aws.AwsErrors;
import org.parascope.aws.Poll;
import org.parascope.aws.Removal;
import org.parascope.fleet.Fleet;
import org.parascope.fleet.FleetState;
import org.parascope.run.RunState;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CancelSpotFleetRequestsErrorItem;
import software.amazon.awssdk.services.ec2.model.DeleteFleetErrorItem;
import software.amazon.awssdk.services.ec2.model.DescribeFleetInstancesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeSpotFleetInstancesResponse;
import software.amazon.awssdk.services.ec2.model.EventType;
import software.amazon.awssdk.services.ec2.model.ExcessCapacityTerminationPolicy;
import software.amazon.awssdk.services.ec2.model.FleetData;
import software.amazon.awssdk.services.ec2.model.FleetEventType;
import software.amazon.awssdk.services.ec2.model.FleetExcessCapacityTerminationPolicy;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;
import software.amazon.awssdk.services.ec2.model.SpotFleetRequestConfig;

/**
 * A fleet of spot machines on EC2, counted in machines (the fleet's target capacity): a Spot Fleet
 * request (sfr-...) or an EC2 Fleet (fleet-...). The ECS service that puts workers on the machines
 * is scaled separately.
 *
 * <p>{@link #start} makes the fleet's launch template and requests the fleet; {@link #stop} cancels
 * it, terminating its machines, and deletes the template. An existing fleet is reopened with
 * {@link #open(AwsClients, String)} or {@link #open(AwsClients, RunState)}. This class owns the fleet:
 * what is a live fleet ({@link #isLive(String)}), and its removal ({@link #removeIfPresent}), which
 * the teardown and start-fleet's undo (through {@link #stop}) both use.
 */
public final class AwsFleet implements Fleet {

	/** What removing a fleet did, and the machines it terminates (their ECS registrations go with them). */
	public record FleetRemoval(Removal removal, List<String> terminating) {}

	/** How long stop() waits for AWS to report the machines gone; the cancellation itself is immediate. */
	private static final Duration STOP_WAIT = Duration.ofMinutes(5);

	private final Ec2Client ec2;
	private final FleetKind kind;
	private final FleetPlan plan;
	private final String templatePrefix;
	private String id;
	private String templateId;

	/** A fleet not yet requested: {@link #start} requests it. */
	public AwsFleet(AwsClients aws, FleetPlan plan, String templatePrefix) {
		this.ec2 = aws.ec2();
		this.kind = plan.kind();
		this.plan = plan;
		this.templatePrefix = templatePrefix;
	}

	private AwsFleet(AwsClients aws, String id, String templateId) {
		this.ec2 = aws.ec2();
		this.kind = FleetKind.ofId(id).orElseThrow(() -> new ParascopeException(
			"not a fleet id: " + id + " (expected sfr-... for a Spot Fleet request or fleet-... for an EC2 Fleet)"));
		this.plan = null;
		this.templatePrefix = null;
		this.id = id;
		this.templateId = templateId;
	}

	/**
	 * An existing fleet, by id: the kind follows from the prefix. Stopping it leaves launch templates
	 * alone; {@link #open(AwsClients, RunState)} also deletes the one start-fleet made.
	 */
	public static AwsFleet open(AwsClients aws, String fleetId) {
		return new AwsFleet(aws, fleetId, null);
	}

	/** The fleet of a state file (Parascope's, or DCP's: then a Spot Fleet without launch template). */
	public static AwsFleet open(AwsClients aws, RunState state) {
		return new AwsFleet(aws, state.fleetId(), state.launchTemplateId().orElse(null));
	}

	/**
	 * The fleet of a state file as a monitor watches it: every machine it sees gets an idle alarm
	 * ({@link IdleAlarms}); what happens is told to {@code report}.
	 */
	public static Fleet alarmed(AwsClients aws, RunState state, Consumer<String> report) {
		return new AlarmedFleet(open(aws, state), new IdleAlarms(aws, state.app()), report);
	}

	public FleetKind kind() {
		return kind;
	}

	/** The fleet's id once requested. */
	public Optional<String> id() {
		return Optional.ofNullable(id);
	}

	/** The launch template start() made, if known. */
	public Optional<String> launchTemplateId() {
		return Optional.ofNullable(templateId);
	}

	/**
	 * Requests the fleet with {@code machines} machines: first its launch template, then the fleet;
	 * if the request fails, the template is deleted again. On a fleet already requested, scales it.
	 */
	@Override
	public synchronized void start(int machines) {
		if (id != null) {
			scale(machines);
			return;
		}
		if (plan == null) throw new IllegalStateException("a reopened fleet that is gone cannot be started");
		templateId = LaunchTemplates.create(ec2, templatePrefix, plan.machines());
		try {
			id = plan.submit(ec2, templateId, machines);
		}
		catch (RuntimeException e) {
			LaunchTemplates.removeIfPresent(ec2, templateId).orFail();
			templateId = null;
			if (e instanceof SdkException sdk) throw AwsErrors.failure("requesting the " + kind, sdk);
			throw e;
		}
	}

	/** Sets the target capacity; machines beyond it are terminated (AWS chooses which). */
	@Override
	public void scale(int machines) {
		scale(machines, true);
	}

	/**
	 * Sets the target capacity. With {@code terminateExcess} false, machines beyond the target keep
	 * running (DCP's monitor does this and relies on idle machines being terminated otherwise).
	 */
	public synchronized void scale(int machines, boolean terminateExcess) {
		String fleet = requested();
		try {
			if (kind == FleetKind.SPOT_FLEET) {
				// Without a policy AWS terminates the excess; the emulator terminates only then, too.
				ec2.modifySpotFleetRequest(r -> r.spotFleetRequestId(fleet).targetCapacity(machines)
					.excessCapacityTerminationPolicy(terminateExcess ? null : ExcessCapacityTerminationPolicy.NO_TERMINATION));
			}
			else {
				ec2.modifyFleet(r -> r.fleetId(fleet).targetCapacitySpecification(t -> t.totalTargetCapacity(machines))
					.excessCapacityTerminationPolicy(terminateExcess ? FleetExcessCapacityTerminationPolicy.TERMINATION
						: FleetExcessCapacityTerminationPolicy.NO_TERMINATION));
			}
		}
		catch (SdkException e) {
			throw AwsErrors.failure("changing the capacity of " + kind + " " + fleet + " to " + machines, e);
		}
	}

	/**
	 * Target capacity (0 once cancelled or gone) and machines the fleet holds (pending or running).
	 * A fleet that does not exist (any more) is {@code (0, 0)}.
	 */
	@Override
	public synchronized FleetState describe() {
		if (id == null) return new FleetState(0, 0);
		try {
			Optional<Integer> target = target();
			if (target.isEmpty()) return new FleetState(0, 0);
			return new FleetState(target.get(), instanceCount());
		}
		catch (SdkException e) {
			throw AwsErrors.failure("describing " + kind + " " + id, e);
		}
	}

	/**
	 * Cancels the fleet and terminates its machines, waits (a few minutes at most) until AWS reports
	 * none left, and deletes the launch template. A fleet already cancelled or gone is fine.
	 */
	@Override
	public synchronized void stop() {
		if (id == null) return;
		removeIfPresent().removal().orFail();
		try {
			waitForNoInstances();
		}
		catch (SdkException e) {
			throw AwsErrors.failure("cancelling " + kind + " " + id, e);
		}
		if (templateId != null) {
			LaunchTemplates.removeIfPresent(ec2, templateId).orFail();
			templateId = null;
		}
	}

	/**
	 * Cancels the fleet if it is live, its machines terminated (without waiting for them); a fleet
	 * cancelled, deleted, failed or unknown is absent. Its launch template stays: see {@link #stop}.
	 */
	public synchronized FleetRemoval removeIfPresent() {
		String resource = (kind == FleetKind.SPOT_FLEET ? "spot fleet " : "EC2 fleet ") + requested();
		try {
			if (target().isEmpty()) return new FleetRemoval(Removal.absent(resource), List.of());
			List<String> terminating = machines();
			cancel();
			return new FleetRemoval(Removal.removed(kind == FleetKind.SPOT_FLEET ? "cancelled" : "deleted", resource,
				terminating.size() + " machines terminating"), terminating);
		}
		catch (SdkException | ParascopeException e) {
			return new FleetRemoval(Removal.failed("cancelling " + kind + " " + id, e), List.of());
		}
	}

	/**
	 * The live EC2 Fleets that launch one of {@code templates}: how the teardown finds the app's fleet
	 * without a state file. A fleet names its template by id or by name.
	 */
	public static List<String> liveEc2FleetsLaunching(Ec2Client ec2, List<LaunchTemplate> templates) {
		if (templates.isEmpty()) return List.of();
		Set<String> refs = templates.stream().flatMap(t -> Stream.of(t.launchTemplateId(), t.launchTemplateName()))
			.collect(Collectors.toSet());
		return ec2.describeFleetsPaginator(b -> {}).fleets().stream().filter(f -> isLive(f.fleetStateAsString()))
			.filter(f -> f.launchTemplateConfigs().stream().map(c -> c.launchTemplateSpecification())
				.anyMatch(t -> t != null && (refs.contains(t.launchTemplateId()) || refs.contains(t.launchTemplateName()))))
			.map(FleetData::fleetId).toList();
	}

	/**
	 * What went wrong since {@code since}: the fleet's error and information events (Spot Fleet
	 * request history; EC2 Fleet service errors), oldest first.
	 */
	public synchronized List<FleetEvent> problems(Instant since) {
		String fleet = requested();
		List<FleetEvent> events = new ArrayList<>();
		try {
			String token = null;
			do {
				String next = token;
				if (kind == FleetKind.SPOT_FLEET) {
					var page = ec2.describeSpotFleetRequestHistory(r -> r.spotFleetRequestId(fleet).startTime(since).nextToken(next));
					page.historyRecords().stream()
						.filter(h -> h.eventType() == EventType.ERROR || h.eventType() == EventType.INFORMATION)
						.forEach(h -> events.add(FleetEvent.of(h.timestamp(), h.eventInformation())));
					token = page.nextToken();
				}
				else {
					var page = ec2.describeFleetHistory(r -> r.fleetId(fleet).startTime(since).nextToken(next));
					page.historyRecords().stream().filter(h -> h.eventType() == FleetEventType.SERVICE_ERROR)
						.forEach(h -> events.add(FleetEvent.of(h.timestamp(), h.eventInformation())));
					token = page.nextToken();
				}
			}
			while (token != null && !token.isEmpty());
		}
		catch (SdkException e) {
			throw AwsErrors.failure("reading the history of " + kind + " " + fleet, e);
		}
		return events;
	}

	private String requested() {
		if (id == null) throw new IllegalStateException("the fleet has not been started");
		return id;
	}

	/** The target capacity of a live fleet; empty when cancelled, deleted, failed or unknown. */
	private Optional<Integer> target() {
		if (kind == FleetKind.SPOT_FLEET) {
			List<SpotFleetRequestConfig> found;
			try {
				found = ec2.describeSpotFleetRequests(r -> r.spotFleetRequestIds(id)).spotFleetRequestConfigs();
			}
			catch (AwsServiceException e) {
				if (hasCode(e, "InvalidSpotFleetRequestId")) return Optional.empty();
				throw e;
			}
			return found.stream().filter(c -> isLive(c.spotFleetRequestStateAsString()))
				.map(c -> c.spotFleetRequestConfig().targetCapacity()).findFirst();
		}
		List<FleetData> found;
		try {
			found = ec2.describeFleets(r -> r.fleetIds(id)).fleets();
		}
		catch (AwsServiceException e) {
			if (hasCode(e, "InvalidFleetId")) return Optional.empty();
			throw e;
		}
		return found.stream().filter(f -> isLive(f.fleetStateAsString()))
			.map(f -> f.targetCapacitySpecification().totalTargetCapacity()).findFirst();
	}

	/**
	 * Whether a fleet in {@code state} (a Spot Fleet request's or an EC2 Fleet's, as AWS spells it) still
	 * holds or asks for machines: submitted, active, modifying; anything but cancelled_*, deleted_* and
	 * failed. The one idea of a live fleet, for the fleet, the teardown and start-fleet.
	 */
	public static boolean isLive(String state) {
		return state != null && !state.startsWith("cancelled") && !state.startsWith("deleted") && !state.equals("failed");
	}

	private int instanceCount() {
		return machines().size();
	}

	/** The ids of the fleet's machines (pending or running); none when the fleet is gone. */
	public synchronized List<String> machines() {
		if (id == null) return List.of();
		List<String> ids = new ArrayList<>();
		String token = null;
		try {
			do {
				String next = token;
				if (kind == FleetKind.SPOT_FLEET) {
					DescribeSpotFleetInstancesResponse page = ec2.describeSpotFleetInstances(
						r -> r.spotFleetRequestId(id).nextToken(next));
					page.activeInstances().forEach(i -> ids.add(i.instanceId()));
					token = page.nextToken();
				}
				else {
					DescribeFleetInstancesResponse page = ec2.describeFleetInstances(r -> r.fleetId(id).nextToken(next));
					page.activeInstances().forEach(i -> ids.add(i.instanceId()));
					token = page.nextToken();
				}
			}
			while (token != null && !token.isEmpty());
		}
		catch (AwsServiceException e) {
			if (hasCode(e, "InvalidSpotFleetRequestId") || hasCode(e, "InvalidFleetId")) return List.of();
			throw e;
		}
		return ids;
	}

	private void cancel() {
		// Codes meaning "already cancelled or gone", which stop() accepts.
		Set<String> done = Set.of("fleetRequestIdDoesNotExist", "fleetRequestNotInCancellableState",
			"fleetIdDoesNotExist", "fleetNotInDeletableState");
		if (kind == FleetKind.SPOT_FLEET) {
			for (CancelSpotFleetRequestsErrorItem failed : ec2.cancelSpotFleetRequests(
				r -> r.spotFleetRequestIds(id).terminateInstances(true)).unsuccessfulFleetRequests()) {
				if (!done.contains(failed.error().codeAsString())) {
					throw new ParascopeException(failed.error().codeAsString() + ": " + failed.error().message());
				}
			}
		}
		else {
			for (DeleteFleetErrorItem failed : ec2.deleteFleets(r -> r.fleetIds(id).terminateInstances(true))
				.unsuccessfulFleetDeletions()) {
				if (!done.contains(failed.error().codeAsString())) {
					throw new ParascopeException(failed.error().codeAsString() + ": " + failed.error().message());
				}
			}
		}
	}

	private void waitForNoInstances() {
		// Terminating machines leave the fleet's list within a minute or two on AWS.
		Poll poll = new Poll(STOP_WAIT);
		int left = instanceCount();
		while (left > 0 && poll.another()) left = instanceCount();
	}

	private static boolean hasCode(AwsServiceException e, String prefix) {
		return e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
			&& e.awsErrorDetails().errorCode().startsWith(prefix);
	}
}
