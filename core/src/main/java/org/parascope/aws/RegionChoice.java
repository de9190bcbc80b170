package org.parascope.aws;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.parascope.ParascopeException;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;
import org.parascope.config.Spelling;

import software.amazon.awssdk.regions.Region;

/**
 * The region a command works in and where that came from, first found of (docs/aws.md, "Signing in"):
 * the --region option; the AWS_REGION variable; AWS_DEFAULT_REGION (the AWS CLI's); AWS_REGION in
 * the Parascope config file; the profile's region in the shared config file; else us-east-1, the
 * config's default. The environment before files and the profile after the app's own file, as the
 * AWS CLI and SDKs rank them.
 */
public record RegionChoice(Region region, String source) {

	static RegionChoice of(String option, Map<String, String> env, Config config, AwsProfile profile) {
		if (option != null) return new RegionChoice(option, "--region");
		for (String variable : List.of("AWS_REGION", "AWS_DEFAULT_REGION")) {
			String value = env.get(variable);
			if (value != null && !value.isBlank()) return new RegionChoice(value, variable);
		}
		String fromFile = config.given().get(ConfigKey.AWS_REGION);
		if (fromFile != null) {
			return new RegionChoice(fromFile, "AWS_REGION in " + config.source().map(Object::toString).orElse("the settings"));
		}
		Optional<String> fromProfile = profile.property("region");
		if (fromProfile.isPresent()) return new RegionChoice(fromProfile.get(), profile.where());
		return new RegionChoice(config.string(ConfigKey.AWS_REGION), "the default");
	}

	private RegionChoice(String id, String source) {
		this(Region.of(id.strip()), source);
	}

	/**
	 * Refuses a region the SDK does not know, before a call goes to a host that does not exist. With an
	 * endpoint of its own (an emulator) any name is a region.
	 */
	RegionChoice checked(boolean endpointGiven) {
		if (endpointGiven || Region.regions().contains(region)) return this;
		List<String> known = Region.regions().stream().filter(r -> !r.isGlobalRegion()).map(Region::id).sorted().toList();
		String hint = Spelling.nearest(region.id(), known).map(r -> " (did you mean " + r + "?)").orElse("");
		throw new ParascopeException("unknown AWS region '" + region.id() + "' (from " + source + ")" + hint
			+ "; AWS regions: " + String.join(", ", known));
	}

	/** For people: "eu-west-1 (from AWS_DEFAULT_REGION)". */
	@Override
	public String toString() {
		return region.id() + " (from " + source + ")";
	}
}
