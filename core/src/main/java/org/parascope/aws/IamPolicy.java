package org.parascope.aws;

import java.util.List;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** IAM policy documents as JSON, the parts the app's scoped policies and trust policies are made of (docs/security.md). */
public final class IamPolicy {

	public static final JsonMapper JSON = new JsonMapper();

	private IamPolicy() {}

	/** An empty policy document (IAM's current language version); statements go into its "Statement" array. */
	public static ObjectNode document() {
		return JSON.createObjectNode().put("Version", "2012-10-17");
	}

	/** A statement allowing {@code actions} on {@code resources}. */
	public static ObjectNode statement(String sid, List<String> actions, List<String> resources) {
		ObjectNode s = JSON.createObjectNode().put("Sid", sid).put("Effect", "Allow");
		actions.forEach(s.putArray("Action")::add);
		resources.forEach(s.putArray("Resource")::add);
		return s;
	}
}
