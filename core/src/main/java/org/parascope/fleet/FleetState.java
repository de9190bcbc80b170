package org.parascope.fleet;

/**
 * @param target  workers wanted
 * @param running workers up now
 */
public record FleetState(int target, int running) {}
