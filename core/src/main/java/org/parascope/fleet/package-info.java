/**
 * The fleet port (what runs workers) and the local fleet of worker threads.
 */
package org.parascope.fleet;
