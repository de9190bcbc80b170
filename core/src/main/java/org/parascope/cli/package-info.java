/**
 * The {@code parascope} command line: picocli commands over the facade, which is their only door to
 * the AWS adapters (ArchitectureTest).
 */
package org.parascope.cli;
