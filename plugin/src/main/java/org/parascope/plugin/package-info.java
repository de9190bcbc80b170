/**
 * The Fiji face: SciJava commands under Plugins > Parascope, thin over the facade (docs/fiji.md), which
 * is their only door to the AWS adapters and core's machinery (PluginArchitectureTest).
 */
package org.parascope.plugin;
