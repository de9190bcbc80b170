/**
 * ECS: the workers' task definition, the detached monitor's service and task (docs/aws.md#monitor).
 */
package org.parascope.aws.ecs;
