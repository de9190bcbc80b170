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
		// Without an error code (e.g. an HTTP 500 with an HTML page) the SDK's own message says most.
		if (e instanceof AwsServiceException service && service.awsErrorDetails() != null
			&& service.awsErrorDetails().errorCode() != null) {
			String code = service.awsErrorDetails().errorCode();
			String message = service.awsErrorDetails().errorMessage();
			if (CREDENTIALS.contains(code)) {
				return "AWS rejected the credentials (" + code + "); check AWS_PROFILE or the access keys";
			}
			if (DENIED.contains(code)) return "not allowed (" + code + "): " + message;
			return code + ": " + message;
		}
		if (e instanceof SdkClientException && e.getMessage() != null
			&& e.getMessage().startsWith("Unable to load credentials")) {
			return "no AWS credentials found: set AWS_PROFILE (or --profile), or run 'aws configure'";
		}
		return e.getMessage();
	}
}
