/**
 * Removing a run's resources, in order, reporting each (docs/aws.md#cleanup).
 */
package org.parascope.aws.teardown;
