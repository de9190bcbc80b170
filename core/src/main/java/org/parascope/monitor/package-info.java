/**
 * The monitor: readings of the queue and fleet, lowering the fleet, tearing down, and its memory across
 * restarts (docs/aws.md).
 */
package org.parascope.monitor;
