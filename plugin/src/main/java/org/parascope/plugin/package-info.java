/**
 * The Fiji face: SciJava commands under Plugins > Parascope, thin over the facade (docs/fiji.md).
 */
package org.parascope.plugin;
