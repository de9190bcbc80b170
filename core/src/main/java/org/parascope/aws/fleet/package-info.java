/**
 * The machines: Spot Fleet or EC2 Fleet from a DCP fleet file or the config, launch templates, idle
 * alarms, spot interruptions, start-fleet (docs/fleet.md).
 */
package org.parascope.aws.fleet;
