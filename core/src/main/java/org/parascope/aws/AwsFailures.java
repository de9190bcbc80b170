package org.parascope.aws;

import org.parascope.Failures;

/** AWS's failures as core's {@link Failures} sees them: {@link AwsErrors} tells weather and interrupts apart. */
public final class AwsFailures implements Failures {

	public static final Failures INSTANCE = new AwsFailures();

	private AwsFailures() {}

	@Override
	public boolean isTransient(Throwable failure) {
		return AwsErrors.isTransient(failure);
	}

	@Override
	public boolean isInterrupt(Throwable failure) {
		return AwsErrors.isInterrupt(failure);
	}

	@Override
	public String explain(Throwable failure) {
		return AwsErrors.explain(failure);
	}
}
