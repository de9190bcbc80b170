package org.parascope.job;

import java.util.Locale;

import org.parascope.ParascopeException;

/** What runs a task. */
public enum Engine {
	FIJI, CELLPROFILER;

	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

	public static Engine of(String id) {
		for (Engine e : values()) if (e.id().equalsIgnoreCase(id)) return e;
		throw new ParascopeException("unknown engine '" + id + "' (expected fiji or cellprofiler)");
	}
}
