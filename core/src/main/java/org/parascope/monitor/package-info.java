/**
 * The monitor: readings of the queue and fleet, lowering the fleet, tearing down, and its memory across
 * restarts, kept in the run's state (docs/aws.md). It drives ports only ({@code TaskQueue}, {@code Fleet},
 * {@code run.RunStateStore}, a teardown) and tells their failures apart through core's {@code Failures}.
 */
package org.parascope.monitor;
