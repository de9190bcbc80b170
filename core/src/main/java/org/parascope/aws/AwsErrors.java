package org.parascope.aws;

import java.util.Set;

import org.parascope.ParascopeException;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** Turns what the AWS SDK throws into one plain sentence for people, naming what was being done. */
public final class AwsErrors {

	private static final Set<String> CREDENTIALS = Set.of("InvalidClientTokenId", "SignatureDoesNotMatch",
		"UnrecognizedClientException", "InvalidAccessKeyId", "ExpiredToken", "ExpiredTokenException", "AuthFailure",
		"InvalidToken");
	private static final Set<String> DENIED = Set.of("AccessDenied", "AccessDeniedException", "UnauthorizedOperation");

	private AwsErrors() {}

	/** {@code doing} says what failed, e.g. "creating queue DistributedCPQueue". */
	public static ParascopeException failure(String doing, SdkException e) {
		return new ParascopeException(doing + ": " + explain(e), e);
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
