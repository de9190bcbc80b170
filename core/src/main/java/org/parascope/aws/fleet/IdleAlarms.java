package org.parascope.aws.fleet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.parascope.aws.AwsClients;

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
 * that came later (spot replacements). The teardown deletes them all (names {@code APP_NAME_...}). Machines no alarm covers are still bounded
 * by the fleet's expiry, MAX_RUN_HOURS (docs/fleet.md).
 */
public final class IdleAlarms {

	static final int IDLE_MINUTES = 15;
	static final double CPU_PERCENT = 1.0;

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
}
