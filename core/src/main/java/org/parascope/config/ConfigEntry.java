package org.parascope.config;

/** One {@code NAME = value} read from a config file, before it is checked against its key. */
record ConfigEntry(String name, Object value, int line) {}
