package org.parascope.aws;

import java.io.IOException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.parascope.ParascopeException;
import org.parascope.Ticker;
import org.parascope.TransientException;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns what the AWS SDK throws into one sentence for people, naming what was being done and keeping
 * the SDK's own reason (AWS's error code and message, or the client's), with a hint where one helps.
 */
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
		boolean awsCall = false;
		for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
			if (t instanceof AbortedException) return false; // an interrupt: someone wants the caller to stop
			if (t instanceof TransientException) return true;
			if (t instanceof SdkException) awsCall = true;
			if (t instanceof AwsServiceException e) {
				String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
				return e.statusCode() >= 500 || e.statusCode() == 429 || e.isThrottlingException()
					|| code != null && WEATHER.contains(code);
			}
			if (t instanceof ApiCallTimeoutException || t instanceof ApiCallAttemptTimeoutException) return true;
			// Reset, refused, timed out, unknown host (a dropped VPN) on the way to AWS; a local file's error is no weather.
			if (t instanceof IOException) return awsCall;
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

	/** The SDK's reason, and what to do about it where that is clear. */
	public static String explain(SdkException e) {
		if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
			String code = service.awsErrorDetails().errorCode();
			String message = service.awsErrorDetails().errorMessage();
			String reason = (code == null ? "HTTP " + service.statusCode() + " from " + service.awsErrorDetails().serviceName()
				: code) + (message == null || message.isBlank() ? "" : ": " + message);
			// Set.of(...).contains(null) throws: an error without a code (an HTTP 500) has none.
			if (code != null && CREDENTIALS.contains(code)) {
				return "AWS rejected the credentials (" + reason + "); check AWS_PROFILE or the access keys";
			}
			if (code != null && DENIED.contains(code)) return "not allowed (" + reason + ")";
			return reason;
		}
		String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
		if (e instanceof SdkClientException && message.startsWith("Unable to load credentials")) {
			String hint = message.contains("SSO") || message.contains("sso")
				? "the profile signs in through IAM Identity Center (SSO): run 'aws sso login' with the same profile"
				: "set AWS_PROFILE (or --profile), or run 'aws configure' or 'aws sso login'";
			return "no AWS credentials (" + hint + "): " + message;
		}
		UnknownHostException unknownHost = cause(e, UnknownHostException.class);
		if (unknownHost != null) {
			return message + " (unknown host " + unknownHost.getMessage() + ": no network, or no such endpoint in the region)";
		}
		return message;
	}

	/** EC2 answers "not found" with an error where other services return nothing; this makes it nothing. */
	public static <T> List<T> notFoundAsEmpty(Supplier<List<T>> call) {
		try {
			return call.get();
		}
		catch (AwsServiceException e) {
			String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
			if (code != null && (code.contains("NotFound") || code.endsWith(".Malformed"))) return List.of();
			throw e;
		}
	}

	private static <T extends Throwable> T cause(Throwable error, Class<T> type) {
		for (Throwable t = error; t != null && t != t.getCause(); t = t.getCause()) {
			if (type.isInstance(t)) return type.cast(t);
		}
		return null;
	}
}
