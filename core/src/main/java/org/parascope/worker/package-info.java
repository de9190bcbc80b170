/**
 * The one task loop ({@link org.parascope.worker.Worker}), a container's workers, and the
 * {@link org.parascope.worker.Runner} SPI the engines implement (docs/worker.md).
 */
package org.parascope.worker;
