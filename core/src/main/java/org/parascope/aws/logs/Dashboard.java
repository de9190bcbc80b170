package org.parascope.aws.logs;

import java.util.List;

import org.parascope.aws.AwsErrors;
import org.parascope.aws.Names;
import org.parascope.aws.Removal;
import org.parascope.aws.fleet.FleetKind;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * The run's CloudWatch dashboard (CREATE_DASHBOARD), named APP_NAME as DCP names it: tasks waiting
 * and in flight, tasks received and finished, the fleet's machines (Spot Fleet publishes them; EC2
 * Fleet does not), the containers' CPU and memory, and the errors in the containers' logs.
 */
public final class Dashboard {

	private static final JsonMapper JSON = new JsonMapper();

	private Dashboard() {}

	/** Creates or replaces the dashboard; returns its name. */
	public static String put(CloudWatchClient cloudWatch, Config config, Names names, FleetKind kind, String fleetId) {
		String body = body(config.string(ConfigKey.AWS_REGION), names, kind, fleetId);
		try {
			cloudWatch.putDashboard(r -> r.dashboardName(names.dashboard()).dashboardBody(body));
		}
		catch (SdkException e) {
			throw AwsErrors.failure("creating dashboard " + names.dashboard(), e);
		}
		return names.dashboard();
	}

	/** Whether the dashboard {@code name} exists. */
	public static boolean exists(CloudWatchClient cloudWatch, String name) {
		return cloudWatch.listDashboards(b -> b.dashboardNamePrefix(name)).dashboardEntries().stream()
			.anyMatch(d -> d.dashboardName().equals(name));
	}

	/** Removes the dashboard {@code name}, if it exists (the teardown, and start-fleet undoing its work). */
	public static Removal removeIfPresent(CloudWatchClient cloudWatch, String name) {
		try {
			if (!exists(cloudWatch, name)) return Removal.absent("dashboard " + name);
			cloudWatch.deleteDashboards(r -> r.dashboardNames(name));
			return Removal.removed("dashboard " + name);
		}
		catch (SdkException e) {
			return Removal.failed("deleting dashboard " + name, e);
		}
	}

	static String body(String region, Names names, FleetKind kind, String fleetId) {
		ObjectNode root = JSON.createObjectNode();
		ArrayNode widgets = root.putArray("widgets");
		String queue = names.queue();
		metric(widgets, region, 0, "Tasks waiting and in flight", "Average", true,
			List.of("AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", queue),
			List.of("AWS/SQS", "ApproximateNumberOfMessagesNotVisible", "QueueName", queue),
			List.of("AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", names.deadLetterQueue()));
		metric(widgets, region, 6, "Tasks received and finished", "Sum", false,
			List.of("AWS/SQS", "NumberOfMessagesReceived", "QueueName", queue),
			List.of("AWS/SQS", "NumberOfMessagesDeleted", "QueueName", queue));
		metric(widgets, region, 12, "Containers' CPU and memory (%)", "Average", false,
			List.of("AWS/ECS", "CPUUtilization", "ClusterName", names.cluster(), "ServiceName", names.service()),
			List.of("AWS/ECS", "MemoryUtilization", "ClusterName", names.cluster(), "ServiceName", names.service()));
		if (kind == FleetKind.SPOT_FLEET) {
			metric(widgets, region, 18, "Machines", "Average", false,
				List.of("AWS/EC2Spot", "FulfilledCapacity", "FleetRequestId", fleetId),
				List.of("AWS/EC2Spot", "TargetCapacity", "FleetRequestId", fleetId));
		}
		ObjectNode errors = widgets.addObject().put("type", "log").put("x", 0).put("y", 6).put("width", 24).put("height", 6);
		errors.putObject("properties").put("region", region).put("title", "Errors in the containers' logs")
			.put("view", "table").put("query", "SOURCE '" + names.instanceLogGroup() + "' | fields @timestamp, @logStream, "
				+ "@message | filter @message like /(?i)error/ | sort @timestamp desc | limit 100");
		return root.toString();
	}

	@SafeVarargs
	private static void metric(ArrayNode widgets, String region, int x, String title, String stat, boolean stacked,
		List<String>... metrics) {
		ObjectNode widget = widgets.addObject().put("type", "metric").put("x", x).put("y", 0).put("width", 6).put("height", 6);
		ObjectNode properties = widget.putObject("properties").put("region", region).put("title", title)
			.put("view", "timeSeries").put("stacked", stacked).put("stat", stat).put("period", 300);
		ArrayNode lines = properties.putArray("metrics");
		for (List<String> metric : metrics) {
			ArrayNode line = lines.addArray();
			metric.forEach(line::add);
		}
	}
}
