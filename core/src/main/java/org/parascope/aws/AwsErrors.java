package org.parascope.aws;

import java.io.IOException;
import java.net.UnknownHostException;
import java.util.Set;

import org.parascope.ParascopeException;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
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
	private static final Set<String> THROTTLED = Set.of("Throttling", "ThrottlingException", "RequestThrottled",
		"RequestLimitExceeded", "SlowDown", "TooManyRequestsException", "RequestThrottledException",
		"ServiceUnavailable", "InternalError", "InternalFailure");

	private AwsErrors() {}

	/** {@code doing} says what failed, e.g. "creating queue DistributedCPQueue". */
	public static ParascopeException failure(String doing, SdkException e) {
		return new ParascopeException(doing + ": " + explain(e), e);
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

	/**
	 * Whether the trouble may pass by itself (no network, a timeout, AWS throttling or failing on its
	 * side), so that trying again later is the answer rather than changing anything.
	 */
	public static boolean isTransient(Throwable error) {
		SdkException sdk = cause(error, SdkException.class);
		if (sdk instanceof AwsServiceException service) {
			String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
			return service.isThrottlingException() || service.statusCode() >= 500 || (code != null && THROTTLED.contains(code));
		}
		// A client-side failure is the network's when an I/O error lies under it (refused, timed out, no DNS).
		return sdk != null && (sdk.retryable() || cause(sdk, IOException.class) != null);
	}

	private static <T extends Throwable> T cause(Throwable error, Class<T> type) {
		for (Throwable t = error; t != null && t != t.getCause(); t = t.getCause()) {
			if (type.isInstance(t)) return type.cast(t);
		}
		return null;
	}
}
