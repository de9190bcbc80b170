package org.parascope.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/** The command line run in this JVM, as a user would run it, with what it printed. */
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
	public static synchronized Outcome runIn(Path workDir, Map<String, String> env, String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
		PrintStream savedOut = System.out, savedErr = System.err;
		System.setOut(new PrintStream(out, true));
		System.setErr(new PrintStream(err, true));
		try {
			return new Outcome(Main.run(args, env, workDir), out.toString(), err.toString());
		}
		finally {
			System.setOut(savedOut);
			System.setErr(savedErr);
		}
	}
}
