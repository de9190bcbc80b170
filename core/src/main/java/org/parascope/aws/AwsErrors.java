package org.parascope.aws;

import java.io.IOException;
import java.util.Set;

import org.parascope.ParascopeException;
import org.parascope.Ticker;
import org.parascope.TransientException;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** Turns what the AWS SDK throws into one plain sentence for people, naming what was being done. */
public final class AwsErrors {

	private static final Set<String> CREDENTIALS = Set.of("InvalidClientTokenId", "SignatureDoesNotMatch",
		"UnrecognizedClientException", "InvalidAccessKeyId", "ExpiredToken", "ExpiredTokenException", "AuthFailure",
		"InvalidToken");
	private static final Set<String> DENIED = Set.of("AccessDenied", "AccessDeniedException", "UnauthorizedOperation");

	/**
	 * Codes that waiting fixes: throttling, the service's own trouble, and credentials that expired
	 * (the SDK's providers fetch fresh ones for the next call: a role's, the container's, SSO's).
	 */
	private static final Set<String> WEATHER = Set.of("Throttling", "ThrottlingException", "ThrottledException",
		"RequestThrottled", "RequestThrottledException", "RequestLimitExceeded", "TooManyRequestsException", "SlowDown",
		"RequestTimeout", "RequestTimeoutException",
		"InternalError", "InternalFailure", "ServiceUnavailable", "Unavailable", "ExpiredToken", "ExpiredTokenException",
		"RequestExpired", "IDPCommunicationError", "EC2ThrottledException");

	private AwsErrors() {}

	/**
	 * Whether waiting and trying again can fix what {@code failure} (or one of its causes) says:
	 * throttling, a 5xx answer, a connection reset or refused, a timeout, expired credentials. A missing
	 * resource, a denied permission or a rejected key is not weather: trying again changes nothing.
	 */
	public static boolean isTransient(Throwable failure) {
		for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
			if (t instanceof AbortedException) return false; // an interrupt: someone wants the caller to stop
			if (t instanceof TransientException) return true;
			if (t instanceof AwsServiceException e) {
				String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
				return e.statusCode() >= 500 || e.statusCode() == 429 || e.isThrottlingException()
					|| code != null && WEATHER.contains(code);
			}
			if (t instanceof ApiCallTimeoutException || t instanceof ApiCallAttemptTimeoutException) return true;
			if (t instanceof IOException) return true; // reset, refused, timed out, unknown host (a dropped VPN)
			if (t instanceof SdkClientException && t.getCause() == null) return false;
		}
		return false;
	}

	/** {@code doing} says what failed, e.g. "creating queue DistributedCPQueue". */
	public static ParascopeException failure(String doing, SdkException e) {
		return new ParascopeException(doing + ": " + explain(e), e);
	}

	/** Whether {@code failure} comes from an interrupt: someone (Ctrl-C, a Stop button) wants the caller to stop. */
	public static boolean isInterrupt(Throwable failure) {
		for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
			if (t instanceof AbortedException || t instanceof InterruptedException || t instanceof Ticker.Interrupted) return true;
		}
		return false;
	}

	/** The failure in one sentence: the SDK's, explained, or the message of a failure wrapping it. */
	public static String explain(Throwable failure) {
		if (failure instanceof SdkException e) return explain(e);
		return failure.getMessage() != null ? failure.getMessage() : failure.toString();
	}

	static String explain(SdkException e) {
		if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
			String code = service.awsErrorDetails().errorCode();
			String message = service.awsErrorDetails().errorMessage();
			// Set.of(...).contains(null) throws: an error without a code (an HTTP 500) has none.
			if (code != null && CREDENTIALS.contains(code)) {
				return "AWS rejected the credentials (" + code + "); check AWS_PROFILE or the access keys";
			}
			if (code != null && DENIED.contains(code)) return "not allowed (" + code + "): " + message;
			if (code == null) return "HTTP " + service.statusCode() + " from " + service.awsErrorDetails().serviceName();
			return code + ": " + message;
		}
		if (e instanceof SdkClientException && e.getMessage() != null
			&& e.getMessage().startsWith("Unable to load credentials")) {
			return "no AWS credentials found: set AWS_PROFILE (or --profile), or run 'aws configure'";
		}
		return e.getMessage();
	}
}
