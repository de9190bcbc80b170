package org.parascope.aws;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.parascope.ParascopeException;

import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * One profile of the AWS shared config and credentials files, found as the AWS CLI and SDKs find
 * them, but in the environment this command was given (so a face or a test can point it elsewhere):
 * AWS_CONFIG_FILE, else ~/.aws/config; AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials; ~ is
 * HOME, else USERPROFILE, else the JVM's user.home. Read once, on first use.
 */
final class AwsProfile {

	private final String name;
	private final Path configFile;
	private final Path credentialsFile;
	private ProfileFile files;

	private AwsProfile(String name, Path configFile, Path credentialsFile) {
		this.name = name;
		this.configFile = configFile;
		this.credentialsFile = credentialsFile;
	}

	static AwsProfile of(String name, Map<String, String> env) {
		String home = Optional.ofNullable(env.get("HOME")).or(() -> Optional.ofNullable(env.get("USERPROFILE")))
			.orElse(System.getProperty("user.home"));
		return new AwsProfile(name, location(env.get("AWS_CONFIG_FILE"), home, "config"),
			location(env.get("AWS_SHARED_CREDENTIALS_FILE"), home, "credentials"));
	}

	private static Path location(String variable, String home, String file) {
		if (variable == null) return Path.of(home, ".aws", file);
		// As the AWS CLI does: a leading ~ is the home folder, whatever the shell left of it.
		return Path.of(variable.startsWith("~/") ? home + variable.substring(1) : variable);
	}

	String name() {
		return name;
	}

	/** Both files merged as the SDK merges them: the credentials file wins a property both name. */
	synchronized ProfileFile files() {
		if (files == null) {
			ProfileFile.Aggregator all = ProfileFile.aggregator();
			read(credentialsFile, ProfileFile.Type.CREDENTIALS).ifPresent(all::addFile);
			read(configFile, ProfileFile.Type.CONFIGURATION).ifPresent(all::addFile);
			files = all.build();
		}
		return files;
	}

	private static Optional<ProfileFile> read(Path file, ProfileFile.Type type) {
		if (!Files.isRegularFile(file)) return Optional.empty();
		try {
			return Optional.of(ProfileFile.builder().content(file).type(type).build());
		}
		catch (RuntimeException e) {
			// The SDK's parser names the line; the file is ours to name.
			throw new ParascopeException(file + ": " + e.getMessage(), e);
		}
	}

	/** A property of this profile ({@code [profile NAME]} in the config file, {@code [NAME]} in credentials). */
	Optional<String> property(String key) {
		return files().profile(name).flatMap(p -> p.property(key));
	}

	/**
	 * The endpoint_url the profile gives one service: in the {@code [services NAME]} section the profile's
	 * {@code services} names ({@code sqs =} then an indented {@code endpoint_url = URL}), else the profile's
	 * own endpoint_url. {@code service} is the lower-case key, e.g. sqs, s3, cloudwatch_logs.
	 */
	Optional<String> endpointUrl(String service) {
		Optional<String> inServices = property("services")
			.flatMap(section -> files().getSection("services", section))
			.flatMap((Profile s) -> s.property(service + ".endpoint_url"));
		return inServices.or(() -> property("endpoint_url"));
	}

	/**
	 * How the profile signs in through IAM Identity Center, if it does: "sso_session NAME" or
	 * "sso_start_url URL" (the legacy form); empty for any other way.
	 */
	Optional<String> ssoSignIn() {
		return property("sso_session").map(s -> "sso_session " + s)
			.or(() -> property("sso_start_url").map(u -> "sso_start_url " + u));
	}

	/** Where a property of this profile was read, for messages: "profile 'dev' in /home/me/.aws/config". */
	String where() {
		return "profile '" + name + "' in " + configFile;
	}
}
