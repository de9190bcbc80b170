package org.parascope;

/** One thing the config's credentials may or may not do, as a plain line for people; {@code ok} false when a run would fail on it. */
public record AccessFinding(boolean ok, String line) {}
