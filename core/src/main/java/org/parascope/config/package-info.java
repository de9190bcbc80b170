/**
 * Settings: {@link org.parascope.config.Config} and every {@link org.parascope.config.ConfigKey}, read from
 * parascope.yml / parascope.json or a Distributed-CellProfiler config.py (docs/config.md).
 */
package org.parascope.config;
