package org.parascope.aws.fleet;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import org.parascope.aws.AwsErrors;
import org.parascope.aws.Removal;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;
import software.amazon.awssdk.services.ec2.model.ResourceType;

/**
 * The launch template of one fleet: made just before the fleet is requested, removed with it (by id),
 * or by the teardown with every other template of the app (by the app's tag).
 */
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

	/** start-fleet names each template after the app and the time, and tags it with the app. */
	public static List<LaunchTemplate> ofApp(Ec2Client ec2, String app) {
		return AwsErrors.notFoundAsEmpty(() -> ec2.describeLaunchTemplates(b -> b.filters(Filter.builder()
			.name("tag:" + APP_TAG).values(app).build())).launchTemplates());
	}

	/** Removes the template of id {@code templateId}; one already gone is absent. */
	public static Removal removeIfPresent(Ec2Client ec2, String templateId) {
		String resource = "launch template " + templateId;
		try {
			ec2.deleteLaunchTemplate(r -> r.launchTemplateId(templateId));
			return Removal.removed(resource);
		}
		catch (AwsServiceException e) {
			return isNotFound(e) ? Removal.absent(resource) : Removal.failed("deleting " + resource, e);
		}
		catch (SdkException e) {
			return Removal.failed("deleting " + resource, e);
		}
	}

	/**
	 * Removes every template of the app, one removal each; none at all is one absent {@code shownName}
	 * (the name the teardown reports). A failure ends the list.
	 */
	public static List<Removal> removeOfApp(Ec2Client ec2, String app, String shownName) {
		List<Removal> removals = new ArrayList<>();
		try {
			List<LaunchTemplate> templates = ofApp(ec2, app);
			if (templates.isEmpty()) return List.of(Removal.absent("launch template " + shownName));
			for (LaunchTemplate t : templates) {
				ec2.deleteLaunchTemplate(b -> b.launchTemplateId(t.launchTemplateId()));
				removals.add(Removal.removed("launch template " + t.launchTemplateName()));
			}
		}
		catch (SdkException e) {
			removals.add(Removal.failed("deleting the launch templates of " + app, e));
		}
		return removals;
	}

	/** AWS says InvalidLaunchTemplateId.NotFound (or .Malformed); the emulator InvalidLaunchTemplateName.NotFoundException. */
	private static boolean isNotFound(AwsServiceException e) {
		String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
		return code != null && (code.startsWith("InvalidLaunchTemplateId") || code.startsWith("InvalidLaunchTemplateName.NotFound"));
	}
}
