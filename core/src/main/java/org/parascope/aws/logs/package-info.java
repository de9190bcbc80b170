/**
 * CloudWatch: the tasks' logs, log shipping and the run's dashboard (docs/aws.md).
 */
package org.parascope.aws.logs;
