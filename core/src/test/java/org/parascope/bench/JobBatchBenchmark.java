package org.parascope.bench;

import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.parascope.cli.Main;

/**
 * Peak memory of {@code parascope job batch analysis ... --print} (and {@code -o FILE}) for about 10,000,
 * 100,000 and 1,000,000 tasks, each run in a JVM of its own: with a 64 MB heap (a program that held
 * its tasks would fail there) and with the JVM's default sizing, which lets garbage pile up before it
 * collects, so that its resident set grows with the work even when the live data does not. docs/benchmarks.md.
 *
 * <pre>
 * JobBatchBenchmark                  runs every size and output, prints the table
 * JobBatchBenchmark child MODE N     one run: MODE print or file, N plates of 3,456 tasks
 * </pre>
 */
public final class JobBatchBenchmark {

	private static final int[] PLATES = { 3, 29, 290 };

	private JobBatchBenchmark() {}

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && args[0].equals("child")) {
			child(args[1], Integer.parseInt(args[2]));
			return;
		}
		List<String> rows = new ArrayList<>();
		rows.add("| output | JVM heap | tasks | seconds | peak heap used (MiB) | heap after GC, max (MiB) | peak RSS (MiB) |");
		rows.add("|---|---|---|---|---|---|---|");
		for (String heap : List.of("-Xmx64m", "default")) {
			for (String mode : List.of("print", "file")) {
				for (int plates : PLATES) {
					String result = run(heap, mode, plates);
					Map<String, String> v = values(result);
					rows.add(String.format("| %s | %s | %,d | %s | %s | %s | %s |", mode.equals("print") ? "--print" : "-o FILE",
						heap, plates * 3456L, v.get("seconds"), v.get("heapMiB"), v.get("afterGcMiB"), v.get("rssMiB")));
					System.err.println(heap + " " + mode + " " + plates + ": " + result);
				}
			}
		}
		rows.forEach(System.out::println);
	}

	/** @param heap "default" (the JVM's own sizing: up to a quarter of the machine) or a -Xmx option */
	private static String run(String heap, String mode, int plates) throws Exception {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
		if (!heap.equals("default")) command.add(heap);
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), JobBatchBenchmark.class.getName(), "child", mode,
			Integer.toString(plates)));
		Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
		String out = new String(p.getInputStream().readAllBytes()).strip();
		if (p.waitFor() != 0) throw new IllegalStateException("child failed: " + out);
		return out.lines().filter(l -> l.startsWith("RESULT")).findFirst().orElseThrow();
	}

	private static void child(String mode, int plates) throws Exception {
		List<String> names = new ArrayList<>();
		for (int i = 0; i < plates; i++) names.add("Plate" + i);
		Path dir = Files.createTempDirectory("job-batch-bench");
		List<String> args = new ArrayList<>(List.of("job", "batch", "analysis", "cpg0000-jump-pilot", "2020_11_04_CPJUMP1",
			String.join(",", names)));
		args.addAll(mode.equals("print") ? List.of("--print") : List.of("-o", dir.resolve("job.json").toString()));
		PrintStream real = System.out;
		long[] bytes = { 0 };
		// What --print writes is counted and dropped: the benchmark measures making and writing, not a terminal.
		System.setOut(new PrintStream(new OutputStream() {
			@Override
			public void write(int b) {
				bytes[0]++;
			}

			@Override
			public void write(byte[] b, int off, int len) {
				bytes[0] += len;
			}
		}));
		MemoryPeak memory = MemoryPeak.start();
		long start = System.nanoTime();
		int exit = Main.run(args.toArray(String[]::new), System.getenv(), dir);
		double seconds = (System.nanoTime() - start) / 1e9;
		System.setOut(real);
		long written = mode.equals("print") ? bytes[0] : Files.size(dir.resolve("job.json"));
		System.out.printf("RESULT seconds=%.1f bytes=%d %s exit=%d%n", seconds, written, memory.stop(), exit);
		for (File f : dir.toFile().listFiles()) f.delete();
		dir.toFile().delete();
		System.exit(exit);
	}

	private static Map<String, String> values(String result) {
		Map<String, String> values = new java.util.HashMap<>();
		for (String part : result.split(" ")) {
			int eq = part.indexOf('=');
			if (eq > 0) values.put(part.substring(0, eq), part.substring(eq + 1));
		}
		return values;
	}
}
