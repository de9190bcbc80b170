package org.parascope.config;

import org.parascope.ParascopeException;

/** A setting that cannot be read or is invalid; the message names the file, line and key at fault. */
public class ConfigException extends ParascopeException {

	public ConfigException(String message) {
		super(message);
	}

	public ConfigException(String message, Throwable cause) {
		super(message, cause);
	}

	/** An error at a line of a file, in the form editors and compilers use: "config.py:12: message". */
	static ConfigException at(String file, int line, String message) {
		return new ConfigException(file + ":" + line + ": " + message);
	}
}
