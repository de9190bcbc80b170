/**
 * The AWS adapters' common ground: the SDK clients of one region and profile (AwsClients, RegionChoice,
 * AwsProfile), how AWS errors read to a user (AwsErrors), the app's resource names (Names), waiting on AWS
 * (Poll). Each resource has its subpackage: queue, store, fleet, ecs, logs, account; teardown removes a run's
 * resources through them (docs/aws.md, docs/design.md).
 */
package org.parascope.aws;
