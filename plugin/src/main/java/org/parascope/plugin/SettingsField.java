package org.parascope.plugin;

import org.parascope.config.ConfigKey;

/** The settings Configure shows, each with its macro name and its label; empty means the key's default. */
enum SettingsField {
	APP("app", ConfigKey.APP_NAME, "App name (prefix of every cloud resource)"),
	PROFILE("profile", ConfigKey.AWS_PROFILE, "AWS profile (credentials)"),
	REGION("region", ConfigKey.AWS_REGION, "AWS region"),
	BUCKET("bucket", ConfigKey.AWS_BUCKET, "Bucket"),
	SOURCE("source", ConfigKey.SOURCE_BUCKET, "Images bucket (empty: Bucket)"),
	DESTINATION("destination", ConfigKey.DESTINATION_BUCKET, "Results bucket (empty: Bucket)"),
	IMAGE("image", ConfigKey.DOCKERHUB_TAG, "Worker image"),
	TYPES("types", ConfigKey.MACHINE_TYPE, "Instance types (comma-separated)"),
	MACHINES("machines", ConfigKey.CLUSTER_MACHINES, "Machines"),
	PRICE("price", ConfigKey.MACHINE_PRICE, "Maximum price per machine-hour (USD)"),
	VISIBILITY("visibility", ConfigKey.SQS_MESSAGE_VISIBILITY, "Seconds a task is hidden while it runs"),
	RETRIES("retries", ConfigKey.JOB_RETRIES, "Tries per task before it counts as failed");

	private final String macroName;
	private final ConfigKey key;
	private final String label;

	SettingsField(String macroName, ConfigKey key, String label) {
		this.macroName = macroName;
		this.key = key;
		this.label = label;
	}

	String macroName() {
		return macroName;
	}

	ConfigKey key() {
		return key;
	}

	String label() {
		return label;
	}
}
