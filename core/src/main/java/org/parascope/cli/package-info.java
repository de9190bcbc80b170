/**
 * The {@code parascope} command line: picocli commands over the facade.
 */
package org.parascope.cli;
