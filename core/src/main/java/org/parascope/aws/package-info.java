/**
 * The AWS adapters and account work: SQS queue, S3 store, fleets, setup, teardown, IAM roles, logs and
 * dashboard (docs/aws.md, docs/fleet.md).
 */
package org.parascope.aws;
