package org.parascope.aws.account;

import java.util.Collection;
import java.util.List;

import org.parascope.aws.Names;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The permissions of a worker container (the task role's inline policy): take tasks from the
 * configured queue, read and write the configured buckets, write to the configured log groups, and
 * nothing else. Workers never receive from the dead-letter queue: SQS moves messages there itself.
 */
final class WorkerPolicy {

	static final JsonMapper JSON = new JsonMapper();

	private WorkerPolicy() {}

	/**
	 * @param arnPrefix "arn:PARTITION:" of the account
	 */
	static ObjectNode document(String arnPrefix, String region, String account, Names names, Collection<String> buckets) {
		String sqs = arnPrefix + "sqs:" + region + ":" + account + ":";
		String logs = arnPrefix + "logs:" + region + ":" + account + ":log-group:";
		ObjectNode doc = JSON.createObjectNode().put("Version", "2012-10-17");
		ArrayNode statements = doc.putArray("Statement");
		statements.add(statement("TakeTasks", List.of("sqs:ReceiveMessage", "sqs:DeleteMessage",
			"sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"), List.of(sqs + names.queue())));
		// Reading the dead-letter queue's counts only; nothing there is received or sent by workers.
		statements.add(statement("CountDeadTasks", List.of("sqs:GetQueueAttributes", "sqs:GetQueueUrl"),
			List.of(sqs + names.deadLetterQueue())));
		statements.add(statement("ListBuckets", List.of("s3:ListBucket"),
			buckets.stream().map(b -> arnPrefix + "s3:::" + b).toList()));
		// AbortMultipartUpload lets a failed large upload clean up its parts.
		statements.add(statement("ReadWriteObjects", List.of("s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"),
			buckets.stream().map(b -> arnPrefix + "s3:::" + b + "/*").toList()));
		statements.add(statement("WriteLogs", List.of("logs:CreateLogStream", "logs:PutLogEvents"),
			List.of(logs + names.logGroup() + ":*", logs + names.instanceLogGroup() + ":*")));
		return doc;
	}

	private static ObjectNode statement(String sid, List<String> actions, List<String> resources) {
		ObjectNode s = JSON.createObjectNode().put("Sid", sid).put("Effect", "Allow");
		actions.forEach(s.putArray("Action")::add);
		resources.forEach(s.putArray("Resource")::add);
		return s;
	}
}
