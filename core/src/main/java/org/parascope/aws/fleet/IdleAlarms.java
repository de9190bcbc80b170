package org.parascope.aws.fleet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.parascope.aws.AwsClients;
import org.parascope.aws.Removal;

import software.amazon.awssdk.core.exception.SdkException;

import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * The safety net that needs no monitor: on every machine of the fleet a CloudWatch alarm that
 * terminates it after {@value #IDLE_MINUTES} minutes below {@value #CPU_PERCENT} % CPU, exactly as
 * Distributed-CellProfiler's workers create it ({@code worker/run-worker.sh}: alarm
 * {@code APP_NAME_<instance id>}, CPUUtilization Maximum over 60 s periods, 15 periods below 1),
 * with AWS's current form of the terminate action.
 *
 * <p>DCP's container creates the alarm for its own machine. Parascope's containers cannot: the
 * fleet's machines answer the metadata service only to the machine itself (hop limit 1, so that no
 * container reads the instance's credentials), so a container does not learn its instance id. The
 * alarms are therefore put by whoever holds the fleet's list of machines: start-fleet, for the
 * machines up when it returns, and the monitor (attached or detached) at every reading, for machines
 * that came later (spot replacements). The teardown removes them all ({@link #removeAll}), with the
 * app's other alarms. Machines no alarm covers are still bounded by the fleet's expiry, MAX_RUN_HOURS
 * (docs/fleet.md).
 */
public final class IdleAlarms {

	public static final int IDLE_MINUTES = 15;
	public static final double CPU_PERCENT = 1.0;
	/** DCP's AUTO_MONITOR alarms, named after the app but not starting with it. */
	public static final List<String> DCP_QUEUE_ALARMS = List.of("ApproximateNumberOfMessagesNotVisibleisZero_",
		"ApproximateNumberOfMessagesVisibleisZero_");
	/** What follows APP_NAME in a per-machine alarm's name: "_" and the EC2 instance id. */
	private static final Pattern INSTANCE_ALARM_SUFFIX = Pattern.compile("_i-[0-9a-f]{8,17}");

	private final CloudWatchClient cloudWatch;
	private final String app;
	private final String region;

	public IdleAlarms(AwsClients aws, String app) {
		this(aws.cloudWatch(), app, aws.region().id());
	}

	IdleAlarms(CloudWatchClient cloudWatch, String app, String region) {
		this.cloudWatch = cloudWatch;
		this.app = app;
		this.region = region;
	}

	/** DCP's name: the app, an underscore, the instance id. */
	public String name(String instanceId) {
		return app + "_" + instanceId;
	}

	/**
	 * Puts the alarm on each machine of {@code machines} that has none; returns the names of the alarms
	 * created. Alarms of machines that are gone stay until the teardown: another run of the same app
	 * (from another folder) may own machines this fleet does not list.
	 */
	public List<String> ensure(Collection<String> machines) {
		Set<String> existing = new HashSet<>();
		cloudWatch.describeAlarmsPaginator(b -> b.alarmNamePrefix(app + "_i-")).metricAlarms().stream()
			.map(MetricAlarm::alarmName).forEach(existing::add);
		List<String> created = new ArrayList<>();
		for (String machine : machines) {
			if (existing.remove(name(machine))) continue;
			put(machine);
			created.add(name(machine));
		}
		return created;
	}

	private void put(String instanceId) {
		cloudWatch.putMetricAlarm(b -> b.alarmName(name(instanceId))
			.alarmDescription("Parascope: terminates " + instanceId + " of " + app + " after " + IDLE_MINUTES
				+ " minutes below " + CPU_PERCENT + " % CPU")
			.alarmActions("arn:aws:automate:" + region + ":ec2:terminate")
			.namespace("AWS/EC2").metricName("CPUUtilization").dimensions(d -> d.name("InstanceId").value(instanceId))
			.statistic(Statistic.MAXIMUM).period(60).evaluationPeriods(IDLE_MINUTES).threshold(CPU_PERCENT)
			.comparisonOperator(ComparisonOperator.LESS_THAN_THRESHOLD));
	}

	/**
	 * Removes the app's alarms, matched exactly: APP_NAME itself and the per-machine {@code APP_NAME_i-<id>},
	 * so that apps whose names merely start the same (App2, App-prod, App_2) keep theirs; plus DCP's two
	 * AUTO_MONITOR queue alarms. One removal per alarm; none at all is one absent "alarms of APP_NAME".
	 */
	public List<Removal> removeAll() {
		try {
			List<String> names = new ArrayList<>();
			cloudWatch.describeAlarmsPaginator(b -> b.alarmNamePrefix(app)).metricAlarms().stream()
				.map(MetricAlarm::alarmName).filter(this::isAppAlarm).forEach(names::add);
			List<String> dcp = DCP_QUEUE_ALARMS.stream().map(p -> p + app).toList();
			cloudWatch.describeAlarms(b -> b.alarmNames(dcp)).metricAlarms().stream().map(MetricAlarm::alarmName)
				.forEach(names::add);
			if (names.isEmpty()) return List.of(Removal.absent("alarms of " + app));
			for (int i = 0; i < names.size(); i += 100) {
				List<String> batch = names.subList(i, Math.min(i + 100, names.size()));
				cloudWatch.deleteAlarms(b -> b.alarmNames(batch));
			}
			return names.stream().map(name -> Removal.removed("alarm " + name)).toList();
		}
		catch (SdkException e) {
			return List.of(Removal.failed("deleting alarms of " + app, e));
		}
	}

	private boolean isAppAlarm(String name) {
		return name.equals(app) || (name.startsWith(app + "_") && INSTANCE_ALARM_SUFFIX.matcher(name.substring(app.length())).matches());
	}
}
