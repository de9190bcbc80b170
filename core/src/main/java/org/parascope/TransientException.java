package org.parascope;

/**
 * A failure that waiting can fix (a throttled API, a cluster still draining, an export still
 * running): whoever watches a run tries again later instead of giving up.
 */
public class TransientException extends ParascopeException {

	public TransientException(String message, Throwable cause) {
		super(message, cause);
	}
}
