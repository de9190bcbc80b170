package org.parascope;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** What a face makes of a failure: the SDK's own exceptions, as they arrive from a call, and ours. */
class ProblemTest {

	@Test
	void ourOwnFailuresAreInputToFixOrWeather() {
		assertEquals(new Problem(Problem.Kind.BAD_INPUT, "job.json: no tasks"), Problem.of(new ParascopeException("job.json: no tasks")));
		assertEquals(Problem.Kind.TRY_AGAIN, Problem.of(new TransientException("throttled", null)).kind());
		assertEquals(Problem.Kind.BAD_INPUT, Problem.of(new UncheckedIOException("disk full", new IOException("disk full"))).kind());
	}

	@Test
	void anAwsFailureIsExplainedAndWeatherIsToldApart() {
		AwsServiceException denied = AwsServiceException.builder().statusCode(403)
			.awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied").errorMessage("no s3:PutObject").build()).build();
		assertEquals(new Problem(Problem.Kind.BAD_INPUT, "not allowed (AccessDenied: no s3:PutObject)"), Problem.of(denied));
		AwsServiceException unavailable = AwsServiceException.builder().statusCode(503)
			.awsErrorDetails(AwsErrorDetails.builder().errorCode("ServiceUnavailable").build()).build();
		assertEquals(Problem.Kind.TRY_AGAIN, Problem.of(unavailable).kind());
		SdkClientException refused = SdkClientException.create("Unable to execute HTTP request", new ConnectException("refused"));
		assertEquals(Problem.Kind.TRY_AGAIN, Problem.of(refused).kind());
	}

	@Test
	void anythingElseIsABugNamedByItsType() {
		Problem bug = Problem.of(new IllegalStateException("no reading"));
		assertEquals(Problem.Kind.BUG, bug.kind());
		assertEquals("java.lang.IllegalStateException: no reading", bug.message());
	}
}
