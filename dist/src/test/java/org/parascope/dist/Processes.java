package org.parascope.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a program from an argv list and keeps what it printed. */
record Processes(int exit, String out, String err) {

	static Processes run(Path directory, Map<String, String> env, List<String> command) throws IOException, InterruptedException {
		Path out = Files.createTempFile("parascope-dist", ".out"), err = Files.createTempFile("parascope-dist", ".err");
		try {
			ProcessBuilder pb = new ProcessBuilder(command).directory(directory.toFile()).redirectOutput(out.toFile())
				.redirectError(err.toFile());
			pb.environment().putAll(env);
			Process p = pb.start();
			if (!p.waitFor(10, TimeUnit.MINUTES)) {
				p.destroyForcibly();
				throw new IllegalStateException("still running after 10 minutes: " + command);
			}
			return new Processes(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
		}
		finally {
			Files.deleteIfExists(out);
			Files.deleteIfExists(err);
		}
	}

	@Override
	public String toString() {
		return "exit " + exit + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
	}
}
