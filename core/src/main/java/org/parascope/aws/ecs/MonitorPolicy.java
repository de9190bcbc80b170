package org.parascope.aws.ecs;

import java.util.ArrayList;
import java.util.List;

import org.parascope.aws.IamPolicy;
import org.parascope.aws.TeardownPlan;
import org.parascope.aws.fleet.IdleAlarms;
import org.parascope.aws.fleet.LaunchTemplates;
import org.parascope.aws.logs.LogExport;
import org.parascope.trace.TracePlace;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The detached monitor's permissions (docs/security.md): it may read what it must list, and change or
 * delete only its own app's resources: queues, service, its own monitor service, cluster, task definitions,
 * alarms and dashboard by their ARNs, built from the run's names; the fleet, its launch template and its machines by their
 * {@value LaunchTemplates#APP_TAG} tag. The one exception is ecs:DeregisterTaskDefinition, for which
 * AWS offers no resource-level permission: a deregistered definition's running tasks go on running; and
 * ec2:DescribeSpotPriceHistory and ec2:DescribeInstanceTypes, which the report needs and which read no
 * resource of the account. In AWS_BUCKET it reads and writes only the state file's copy, the log exports
 * and the run's records ({@code parascope/runs/<APP_NAME>/}: trace, machines, reports).
 */
public final class MonitorPolicy {

	private MonitorPolicy() {}

	public static ObjectNode document(String partition, String region, String account, TeardownPlan plan) {
		String arn = "arn:" + partition + ":";
		String sqs = arn + "sqs:" + region + ":" + account + ":";
		String ecs = arn + "ecs:" + region + ":" + account + ":";
		String cloudwatch = arn + "cloudwatch:" + region + ":" + account + ":";
		String logs = arn + "logs:" + region + ":" + account + ":log-group:";
		ObjectNode doc = IamPolicy.document();
		ArrayNode statements = doc.putArray("Statement");
		statements.add(IamPolicy.statement("ReadTheRun", List.of("sqs:GetQueueUrl", "sqs:GetQueueAttributes", "sqs:ListQueues",
			"ec2:DescribeSpotFleetRequests", "ec2:DescribeSpotFleetInstances", "ec2:DescribeFleets",
			"ec2:DescribeFleetInstances", "ec2:DescribeLaunchTemplates", "ec2:DescribeInstances", "ecs:DescribeServices",
			"ecs:DescribeClusters", "ecs:DescribeTasks", "ecs:DescribeContainerInstances", "ecs:ListServices", "ecs:ListTasks",
			"ecs:ListTaskDefinitions", "ecs:ListContainerInstances", "cloudwatch:DescribeAlarms", "cloudwatch:ListDashboards",
			"logs:DescribeLogGroups", "logs:DescribeExportTasks",
			// CloudWatch lets only a caller that may see the instance put an EC2 action on its alarm.
			"ec2:DescribeInstanceStatus"), List.of("*")));
		// The run's report prices the fleet's machines (docs/trace.md, "Cost"); AWS offers no resource-level
		// permission for either: they read public price lists and type descriptions, nothing of the account's.
		statements.add(IamPolicy.statement("PriceTheMachines", List.of("ec2:DescribeSpotPriceHistory", "ec2:DescribeInstanceTypes"),
			List.of("*")));
		statements.add(IamPolicy.statement("DeleteTheAppsQueues", List.of("sqs:DeleteQueue"),
			List.of(sqs + plan.queue(), sqs + plan.deadLetterQueue())));
		ObjectNode fleet = IamPolicy.statement("ShrinkAndStopTheAppsFleet", List.of("ec2:ModifySpotFleetRequest",
			"ec2:CancelSpotFleetRequests", "ec2:ModifyFleet", "ec2:DeleteFleets", "ec2:DeleteLaunchTemplate",
			"ec2:TerminateInstances"), List.of("*"));
		fleet.putObject("Condition").putObject("StringEquals").put("aws:ResourceTag/" + LaunchTemplates.APP_TAG, plan.app());
		statements.add(fleet);
		String cluster = plan.cluster();
		statements.add(IamPolicy.statement("ScaleAndRemoveTheAppsService", List.of("ecs:UpdateService", "ecs:DeleteService"),
			List.of(ecs + "service/" + cluster + "/" + plan.service())));
		// Its own ECS service, which it deletes last (MonitorService): named APP_NAME + "Monitor-" + a fleet id.
		String monitors = ecs + "service/" + MonitorTask.CLUSTER + "/" + plan.app() + "Monitor-";
		statements.add(IamPolicy.statement("RemoveTheMonitorsOwnService", List.of("ecs:DeleteService"),
			List.of(monitors + "sfr-*", monitors + "fleet-*")));
		statements.add(IamPolicy.statement("RemoveTheAppsCluster", List.of("ecs:DeleteCluster", "ecs:DeregisterContainerInstance"),
			List.of(ecs + "cluster/" + cluster)));
		statements.add(IamPolicy.statement("StopTheAppsTasks", List.of("ecs:StopTask"), List.of(ecs + "task/" + cluster + "/*")));
		statements.add(IamPolicy.statement("DeleteTheAppsTaskDefinitions", List.of("ecs:DeleteTaskDefinitions"),
			List.of(ecs + "task-definition/" + plan.taskFamily() + ":*", ecs + "task-definition/" + plan.monitorFamily() + ":*")));
		// AWS has no resource-level permission for this one; it stops no running task.
		statements.add(IamPolicy.statement("DeregisterTaskDefinitions", List.of("ecs:DeregisterTaskDefinition"), List.of("*")));
		List<String> alarms = new ArrayList<>(List.of(cloudwatch + "alarm:" + plan.app(),
			cloudwatch + "alarm:" + plan.app() + "_i-*"));
		for (String queueAlarm : IdleAlarms.DCP_QUEUE_ALARMS) alarms.add(cloudwatch + "alarm:" + queueAlarm + plan.app());
		statements.add(IamPolicy.statement("DeleteTheAppsAlarms", List.of("cloudwatch:DeleteAlarms"), alarms));
		// The idle alarm of each machine that joins the fleet after start-fleet (IdleAlarms, docs/fleet.md).
		statements.add(IamPolicy.statement("PutTheAppsIdleAlarms", List.of("cloudwatch:PutMetricAlarm"),
			List.of(cloudwatch + "alarm:" + plan.app() + "_i-*")));
		statements.add(IamPolicy.statement("DeleteTheAppsDashboard", List.of("cloudwatch:DeleteDashboards"),
			List.of(arn + "cloudwatch::" + account + ":dashboard/" + plan.dashboard())));
		List<String> groups = new ArrayList<>();
		for (String group : plan.logGroups()) groups.addAll(List.of(logs + group, logs + group + ":*"));
		statements.add(IamPolicy.statement("ExportAndWriteTheAppsLogs", List.of("logs:FilterLogEvents", "logs:CreateExportTask",
			"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"), groups));
		plan.bucket().ifPresent(bucket -> {
			String b = arn + "s3:::" + bucket;
			// The state file's copy, and the log exports with their markers.
			statements.add(IamPolicy.statement("ReadWriteStateAndExports", List.of("s3:GetObject", "s3:PutObject"),
				List.of(b + "/" + MonitorTask.STATE_PREFIX + "*", b + "/" + LogExport.PREFIX + "*")));
			// The run's records: the trace it reads, the machines it records and the report it writes.
			statements.add(IamPolicy.statement("ReadWriteTheRunsRecords", List.of("s3:GetObject", "s3:PutObject"),
				List.of(b + "/" + TracePlace.runPrefix(plan.app()) + "*")));
			statements.add(IamPolicy.statement("ListTheBucket", List.of("s3:ListBucket"), List.of(b)));
		});
		return doc;
	}
}
