package org.parascope;

import java.io.UncheckedIOException;

import org.parascope.aws.AwsErrors;

import software.amazon.awssdk.core.exception.SdkException;

/**
 * What a failure means for whoever ran the command, so that a face needs to know nothing of AWS's
 * exceptions: one sentence for people, and what to do about it.
 *
 * @param message the failure in one sentence (an AWS error explained); for a bug its type and message
 */
public record Problem(Kind kind, String message) {

	/** What to do: fix the input (options, files, settings, credentials, permissions), wait, or report a bug. */
	public enum Kind { BAD_INPUT, TRY_AGAIN, BUG }

	public static Problem of(Throwable e) {
		// A file that cannot be read or written here (permissions, a full disk) is the user's to fix too.
		boolean expected = e instanceof ParascopeException || e instanceof SdkException || e instanceof UncheckedIOException;
		if (!expected) return new Problem(Kind.BUG, e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
		return new Problem(AwsErrors.isTransient(e) ? Kind.TRY_AGAIN : Kind.BAD_INPUT,
			e instanceof SdkException sdk ? AwsErrors.explain(sdk) : e.getMessage());
	}
}
