package org.parascope.aws.fleet;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.parascope.aws.AwsErrors;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ResourceType;

/** The launch template of one fleet: made just before the fleet is requested, deleted with it. */
public final class LaunchTemplates {

	/** Tag on every launch template (and instance) Parascope makes; its value is APP_NAME. */
	public static final String APP_TAG = "parascope:app";

	private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

	private LaunchTemplates() {}

	/**
	 * Creates a template named {@code prefix-<UTC time>}: a name of its own per fleet, so that a
	 * template left by an interrupted earlier run never blocks or changes this one. Returns its id.
	 */
	static String create(Ec2Client ec2, String prefix, MachinePlan machines) {
		String name = prefix + "-" + STAMP.format(Instant.now());
		try {
			return ec2.createLaunchTemplate(r -> r.launchTemplateName(name).launchTemplateData(machines.templateData())
				.tagSpecifications(t -> t.resourceType(ResourceType.LAUNCH_TEMPLATE)
					.tags(tag -> tag.key(APP_TAG).value(machines.app()))))
				.launchTemplate().launchTemplateId();
		}
		catch (SdkException e) {
			throw AwsErrors.failure("creating launch template " + name, e);
		}
	}

	/** Deletes the template; one already gone is fine. */
	static void delete(Ec2Client ec2, String templateId) {
		try {
			ec2.deleteLaunchTemplate(r -> r.launchTemplateId(templateId));
		}
		catch (AwsServiceException e) {
			if (!isNotFound(e)) throw AwsErrors.failure("deleting launch template " + templateId, e);
		}
		catch (SdkException e) {
			throw AwsErrors.failure("deleting launch template " + templateId, e);
		}
	}

	private static boolean isNotFound(AwsServiceException e) {
		String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
		return code != null && code.startsWith("InvalidLaunchTemplateId");
	}
}
