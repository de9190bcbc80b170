package org.parascope.local;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Map;

import org.parascope.cli.Main;

/** Runs the command line in this JVM, as a user would, and keeps what it printed. */
record CliRun(int exit, String stdout) {

	static CliRun of(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		PrintStream saved = System.out;
		System.setOut(new PrintStream(out, true));
		try {
			int exit = Main.run(args, Map.of());
			return new CliRun(exit, out.toString());
		}
		finally {
			System.setOut(saved);
		}
	}
}
