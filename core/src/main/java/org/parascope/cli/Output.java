package org.parascope.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * How a command reports, the same for every verb that reports (a mixin): text for people on standard
 * output, or with --json one JSON object per line for programs, errors included ({"error": ...}, with
 * the same exit codes, see {@link Main}); notes and progress on standard error, which --quiet leaves out.
 */
final class Output {

	static final JsonMapper JSON = new JsonMapper();

	@Spec(Spec.Target.MIXEE)
	CommandSpec command;

	@Option(names = "--json", description = "Print the outcome as JSON on standard output, one object per line "
		+ "(an error as {\"error\": MESSAGE}, with the same exit code).")
	boolean json;

	@Option(names = { "-q", "--quiet" }, description = "Leave out notes and progress; print only the outcome and errors.")
	boolean quiet;

	/** The Output of the command {@code line} runs, if it reports. */
	static Optional<Output> of(CommandLine line) {
		return line.getCommandSpec().mixins().values().stream().map(CommandSpec::userObject)
			.filter(Output.class::isInstance).map(Output.class::cast).findFirst();
	}

	boolean json() {
		return json;
	}

	PrintWriter out() {
		return command.commandLine().getOut();
	}

	PrintWriter err() {
		return command.commandLine().getErr();
	}

	/** A line of the text report; nothing with --json, where the JSON says it. */
	void text(String line) {
		if (json) return;
		out().println(line);
		out().flush();
	}

	/** A formatted line of the text report. */
	void text(String format, Object... args) {
		text(String.format(format, args));
	}

	/** One JSON object on its own line. */
	void json(JsonNode node) {
		try {
			out().println(JSON.writeValueAsString(node));
		}
		catch (JsonProcessingException e) {
			throw new IllegalStateException("a JSON tree that cannot be written", e);
		}
		out().flush();
	}

	/** A report of one line per resource: the lines as text, or {"region", KEY: [LINE, ...]}. */
	void lines(String region, String key, List<String> lines) {
		if (!json) {
			lines.forEach(this::text);
			return;
		}
		ObjectNode report = object().put("region", region);
		lines.forEach(report.putArray(key)::add);
		json(report);
	}

	ObjectNode object() {
		return JSON.createObjectNode();
	}

	/** A note for the person watching (standard error), e.g. the region; left out with --quiet. */
	void note(String line) {
		if (quiet) return;
		err().println("parascope: " + line);
		err().flush();
	}

	/** Whether progress bars and running commentary are wanted. */
	boolean chatty() {
		return !quiet;
	}
}
