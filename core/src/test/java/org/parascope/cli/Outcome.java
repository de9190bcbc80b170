package org.parascope.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * The command line run in this JVM, as a user would run it, with what it printed: the command line gets
 * writers of its own, so commands run at once (on several threads) each keep their own output.
 */
public record Outcome(int exit, String out, String err) {

	public java.util.List<String> lines() {
		return out.lines().toList();
	}

	public static Outcome run(Map<String, String> env, String... args) {
		return runIn(Path.of(""), env, args);
	}

	/** {@code parascope --config CONFIG ARGS...}, run as if started in {@code workDir}. */
	public static Outcome withConfig(Path workDir, Map<String, String> env, Path config, String... args) {
		String[] all = new String[args.length + 2];
		all[0] = "--config";
		all[1] = config.toString();
		System.arraycopy(args, 0, all, 2, args.length);
		return runIn(workDir, env, all);
	}

	/** Runs as if started in {@code workDir}, where files/ (state file, job manifests) goes. */
	public static Outcome runIn(Path workDir, Map<String, String> env, String... args) {
		StringWriter out = new StringWriter(), err = new StringWriter();
		// Flushed at every println, as Main's writers are.
		int exit = Main.run(args, env, workDir, new PrintWriter(out, true), new PrintWriter(err, true));
		return new Outcome(exit, out.toString(), err.toString());
	}
}
