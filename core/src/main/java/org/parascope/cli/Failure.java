package org.parascope.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.parascope.Problem;

import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/**
 * Every error of every command, reported one way: one line on standard error ("parascope: ..."), or
 * with --json {"error": ...} on standard output; the exit code says what to do (see {@link Main}):
 * fix the input (2), try again later when the network or AWS is at fault (3), or report a bug (70).
 * With --debug the chain of causes follows, down to the SDK's and the JVM's own exceptions.
 */
final class Failure {

	private Failure() {}

	/** picocli's execution exception handler. */
	static int report(Exception e, CommandLine line, boolean debug) {
		Problem problem = Problem.of(e);
		boolean expected = problem.kind() != Problem.Kind.BUG;
		String message = expected ? problem.message()
			: "unexpected " + problem.message() + " (a bug in Parascope; --debug shows where)";
		int exit = switch (problem.kind()) {
			case BAD_INPUT -> Main.BAD_INPUT;
			case TRY_AGAIN -> Main.TRY_AGAIN;
			case BUG -> Main.BUG;
		};
		List<String> causes = debug ? causes(e) : List.of();
		Optional<Output> output = Output.of(line);
		if (output.isPresent() && output.get().json()) {
			ObjectNode error = Output.JSON.createObjectNode().put("error", message);
			if (debug) causes.forEach(error.putArray("causes")::add);
			output.get().json(error);
		}
		else {
			line.getErr().println("parascope: " + message);
		}
		if (debug) line.getErr().println("parascope: --debug: the error and its causes:");
		causes.forEach(c -> line.getErr().println("  " + c));
		if (debug && !expected) {
			StringWriter trace = new StringWriter();
			e.printStackTrace(new PrintWriter(trace));
			line.getErr().print(trace);
		}
		line.getErr().flush();
		return exit;
	}

	/**
	 * Wraps picocli's parameter exception handler: a wrong option or argument is input to fix (2), and
	 * with --json among the arguments the error is JSON too, though the line could not be parsed.
	 */
	static IParameterExceptionHandler usage(IParameterExceptionHandler picocli) {
		return (e, args) -> {
			if (!Arrays.asList(args).contains("--json")) return picocli.handleParseException(e, args);
			CommandLine line = e.getCommandLine();
			line.getOut().println(Output.JSON.createObjectNode().put("error", e.getMessage()));
			line.getOut().flush();
			return Main.BAD_INPUT;
		};
	}

	/** {@code e} and each cause below it, as its type and message. */
	private static List<String> causes(Throwable e) {
		List<String> causes = new ArrayList<>();
		for (Throwable t = e; t != null && causes.size() < 20; t = t.getCause() == t ? null : t.getCause()) {
			causes.add(t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage()));
		}
		return causes;
	}
}
