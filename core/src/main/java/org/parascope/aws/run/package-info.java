/**
 * A run's beginning and end on AWS, across the resources' owners: {@code FleetStart} (start-fleet, and its
 * undo when a step fails) and {@code Teardown} (a run's resources removed in order, each reported;
 * docs/aws.md#cleanup). The only AWS package that uses several others; none uses it.
 */
package org.parascope.aws.run;
