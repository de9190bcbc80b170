package org.parascope;

/**
 * An error a user can act on: its message names the file, key, line or JSON path at fault and is
 * printed as it is, without a stack trace.
 */
public class ParascopeException extends RuntimeException {

	public ParascopeException(String message) {
		super(message);
	}

	public ParascopeException(String message, Throwable cause) {
		super(message, cause);
	}
}
