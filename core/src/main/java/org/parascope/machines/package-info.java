/**
 * The machines of an AWS run, as its monitor saw them: each machine's type, zone, lifecycle and lifetime,
 * recorded in AWS_BUCKET for the run's report to price (docs/trace.md, "Machines").
 */
package org.parascope.machines;
