package org.parascope.aws.account;

import java.util.Collection;
import java.util.List;

import org.parascope.aws.IamPolicy;
import org.parascope.aws.Names;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The permissions of a worker container (the task role's inline policy): take tasks from the
 * configured queue, read and write the configured buckets, write to the configured log groups, and
 * nothing else. Workers never receive from the dead-letter queue: SQS moves messages there itself.
 */
final class WorkerPolicy {

	private WorkerPolicy() {}

	/**
	 * @param arnPrefix "arn:PARTITION:" of the account
	 */
	static ObjectNode document(String arnPrefix, String region, String account, Names names, Collection<String> buckets) {
		String sqs = arnPrefix + "sqs:" + region + ":" + account + ":";
		String logs = arnPrefix + "logs:" + region + ":" + account + ":log-group:";
		ObjectNode doc = IamPolicy.document();
		ArrayNode statements = doc.putArray("Statement");
		statements.add(IamPolicy.statement("TakeTasks", List.of("sqs:ReceiveMessage", "sqs:DeleteMessage",
			"sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"), List.of(sqs + names.queue())));
		// Reading the dead-letter queue's counts only; nothing there is received or sent by workers.
		statements.add(IamPolicy.statement("CountDeadTasks", List.of("sqs:GetQueueAttributes", "sqs:GetQueueUrl"),
			List.of(sqs + names.deadLetterQueue())));
		statements.add(IamPolicy.statement("ListBuckets", List.of("s3:ListBucket"),
			buckets.stream().map(b -> arnPrefix + "s3:::" + b).toList()));
		// AbortMultipartUpload lets a failed large upload clean up its parts.
		statements.add(IamPolicy.statement("ReadWriteObjects", List.of("s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"),
			buckets.stream().map(b -> arnPrefix + "s3:::" + b + "/*").toList()));
		statements.add(IamPolicy.statement("WriteLogs", List.of("logs:CreateLogStream", "logs:PutLogEvents"),
			List.of(logs + names.logGroup() + ":*", logs + names.instanceLogGroup() + ":*")));
		return doc;
	}
}
