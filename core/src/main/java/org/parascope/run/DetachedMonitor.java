package org.parascope.run;

/**
 * The monitor of a run that runs as an ECS service, on a copy of the run's state in S3.
 *
 * @param service       the ECS service that runs it (replaced by ECS if it dies)
 * @param cluster       the ECS cluster of the service
 * @param stateLocation the s3:// URL of the state it reads and writes
 */
public record DetachedMonitor(String service, String cluster, String stateLocation) {}
