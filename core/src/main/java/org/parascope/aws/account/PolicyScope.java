package org.parascope.aws.account;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.parascope.aws.fleet.LaunchTemplates;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How far an IAM policy reaches: finds the grants that may change or delete anything in the account,
 * a wildcard action or a changing action on every resource ("*") with no tag condition to narrow it.
 * Parascope's own policies have none but the one AWS forces (docs/security.md); an existing role that
 * has one is broader than Parascope's and said so.
 */
public final class PolicyScope {

	/** Verbs that only read: allowed on "*", since most of them have no resource-level permission. */
	private static final List<String> READ_VERBS = List.of("Describe", "List", "Get", "Filter", "Head");
	/** A grant on "*" so conditioned is narrowed to one app's resources. */
	private static final Set<String> NARROWING_CONDITIONS = Set.of("aws:ResourceTag/" + LaunchTemplates.APP_TAG);

	private PolicyScope() {}

	/** The broad grants of {@code policy}, as "action on resource", in the policy's order. */
	public static List<String> broadGrants(JsonNode policy) {
		List<String> grants = new ArrayList<>();
		for (JsonNode statement : list(policy.path("Statement"))) {
			if (!"Allow".equals(statement.path("Effect").asText())) continue;
			List<String> resources = texts(statement.path("Resource"));
			boolean everywhere = resources.contains("*") || statement.has("NotResource");
			boolean narrowed = narrowed(statement.path("Condition"));
			for (String action : texts(statement.has("NotAction") ? statement.path("NotAction") : statement.path("Action"))) {
				boolean wildcard = statement.has("NotAction") || action.equals("*") || action.endsWith(":*");
				if (wildcard && !narrowed) grants.add(action + " on " + String.join(", ", resources));
				else if (everywhere && !narrowed && !readOnly(action)) grants.add(action + " on *");
			}
		}
		return grants;
	}

	/** The first broad grant, for one warning line. */
	public static Optional<String> firstBroadGrant(JsonNode policy) {
		return broadGrants(policy).stream().findFirst();
	}

	static boolean readOnly(String action) {
		int colon = action.indexOf(':');
		String verb = action.substring(colon + 1);
		return READ_VERBS.stream().anyMatch(verb::startsWith) && !verb.contains("*");
	}

	private static boolean narrowed(JsonNode condition) {
		for (JsonNode operator : list(condition)) {
			var names = operator.fieldNames();
			while (names.hasNext()) if (NARROWING_CONDITIONS.contains(names.next())) return true;
		}
		return false;
	}

	private static List<JsonNode> list(JsonNode node) {
		List<JsonNode> items = new ArrayList<>();
		if (node.isArray()) node.forEach(items::add);
		else if (node.isObject() && node.has("Effect")) items.add(node);
		else if (node.isObject()) node.forEach(items::add);
		return items;
	}

	private static List<String> texts(JsonNode node) {
		List<String> texts = new ArrayList<>();
		if (node.isArray()) node.forEach(n -> texts.add(n.asText()));
		else if (!node.isMissingNode() && !node.isNull()) texts.add(node.asText());
		return texts;
	}
}
