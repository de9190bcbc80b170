package org.parascope.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import org.parascope.Parascope;
import org.parascope.aws.AwsClients;
import org.parascope.aws.MotoServer;
import org.parascope.aws.store.S3ObjectStore;
import org.parascope.cellprofiler.CellProfilerInstall;
import org.parascope.cellprofiler.NucleiPlate;
import org.parascope.cli.Outcome;
import org.parascope.config.Config;
import org.parascope.job.Task;
import org.parascope.worker.TaskLog;
import org.parascope.worker.Worker;
import org.parascope.worker.WorkerListener;

/**
 * A CellProfiler task's time outside CellProfiler: one cloud worker takes a DCP job's tasks one by one
 * from the AWS API emulator (moto on loopback: SQS, S3, CloudWatch Logs), each task timed from receive to
 * delete, the cellprofiler process timed by a wrapper around it (date before and after; its few
 * milliseconds count as CellProfiler's). The difference is the worker's own cost: receive, fetch pipeline,
 * CSV and image, rewrite the CSV, store the outputs, ship the log, delete.
 *
 * <p>Baseline, in the same run: Distributed-CellProfiler's per-task handling after CellProfiler, a fixed
 * 30 s sleep (not slept here; its code's constant) plus an upload of the outputs by a new process. The aws
 * CLI is not installed here, so the upload is a stand-in of the same kind: a new Python process that
 * imports boto3 and uploads the task's outputs (the aws CLI is a Python program on the same botocore).
 *
 * <p>Options: tasks (8). Prints a Markdown report for docs/benchmarks.md, which gives the command.
 */
public final class CellProfilerBenchmark {

	public static void main(String[] args) throws Exception {
		int tasks = args.length > 0 ? Integer.parseInt(args[0].replace("--tasks=", "")) : 8;
		Path dir = Files.createTempDirectory("cp-bench");
		Path cellprofiler = CellProfilerInstall.executable();
		Path times = dir.resolve("cellprofiler-times.txt");
		Path wrapper = Files.writeString(dir.resolve("timed-cellprofiler"), """
			#!/bin/sh
			start=$(date +%%s%%N)
			'%s' "$@"
			code=$?
			echo "$start $(date +%%s%%N)" >> '%s'
			exit $code
			""".formatted(cellprofiler, times));
		Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));

		try (AutoCloseable moto = MotoServer.startOutsideJUnit()) {
			Map<String, String> env = new HashMap<>(MotoServer.env());
			env.put("CELLPROFILER_EXECUTABLE", wrapper.toString());
			Path configFile = Files.writeString(dir.resolve("config.py"), NucleiPlate.CONFIG);
			Config config = Config.load(configFile, env, w -> {});
			try (AwsClients aws = new AwsClients(config, null, env); Parascope parascope = new Parascope(config, aws)) {
				for (String b : List.of(NucleiPlate.SOURCE, NucleiPlate.WORKSPACE, NucleiPlate.DESTINATION)) {
					aws.s3().createBucket(r -> r.bucket(b));
				}
				List<String> wells = IntStream.rangeClosed(1, tasks).mapToObj(i -> String.format("W%02d", i)).toList();
				NucleiPlate plate = NucleiPlate.upload(aws, NucleiPlate.SOURCE, NucleiPlate.WORKSPACE, wells, dir);
				for (String[] command : List.of(new String[] { "init-account" }, new String[] { "setup" },
					new String[] { "submit", plate.jobFile().toString() })) {
					Outcome o = Outcome.runIn(dir, env, concat(new String[] { "--config", configFile.toString() }, command));
					if (o.exit() != 0) throw new IllegalStateException(String.join(" ", command) + ": " + o.err());
				}

				AtomicReference<String> failure = new AtomicReference<>();
				WorkerListener listener = new WorkerListener() {
					@Override
					public void failed(Task task, int attempt, int maxAttempts, String reason, TaskLog log) {
						failure.set(task.label() + ": " + reason + "\n" + String.join("\n", log.tail(30)));
					}
				};
				Worker worker = parascope.cloudWorker("bench", listener, dir.resolve("scratch"));
				List<Double> total = new ArrayList<>();
				for (int i = 0; i < tasks; i++) {
					long start = System.nanoTime();
					if (!worker.runOnce(Duration.ofSeconds(10))) throw new IllegalStateException("the queue ran dry");
					total.add((System.nanoTime() - start) / 1e9);
					if (failure.get() != null) throw new IllegalStateException(failure.get());
				}
				List<Double> inside = Files.readAllLines(times).stream()
					.map(l -> l.split(" ")).map(p -> (Long.parseLong(p[1]) - Long.parseLong(p[0])) / 1e9).toList();
				List<Double> outside = IntStream.range(0, tasks).mapToObj(i -> total.get(i) - inside.get(i)).toList();

				// DCP's upload, per task: a new process uploading that task's outputs.
				S3ObjectStore results = S3ObjectStore.of(aws, NucleiPlate.DESTINATION);
				List<Double> dcpUpload = new ArrayList<>();
				Path python = cellprofiler.resolveSibling("python");
				for (String well : wells.subList(0, Math.min(tasks, 5))) {
					String prefix = "analysis/" + NucleiPlate.PLATE + "/" + well + "/";
					Path out = dir.resolve("dcp/" + well);
					List<String> files = new ArrayList<>();
					results.list(prefix).forEach(o -> {
						Path f = out.resolve(o.key().substring(prefix.length()));
						results.get(o.key(), f);
						files.add(f.toString());
					});
					List<String> argv = new ArrayList<>(List.of(python.toString(), "-c", UPLOAD,
						MotoServer.endpoint().toString(), NucleiPlate.DESTINATION, "dcp/" + well + "/"));
					argv.addAll(files);
					ProcessBuilder pb = new ProcessBuilder(argv).inheritIO();
					pb.environment().putAll(MotoServer.env());
					long start = System.nanoTime();
					if (pb.start().waitFor() != 0) throw new IllegalStateException("the boto3 upload failed");
					dcpUpload.add((System.nanoTime() - start) / 1e9);
				}
				report(tasks, total, inside, outside, dcpUpload);
			}
		}
	}

	/** DCP's upload stand-in: a fresh Python process, boto3, each file uploaded then removed (aws s3 mv). */
	private static final String UPLOAD = """
		import os, sys, boto3
		endpoint, bucket, prefix = sys.argv[1:4]
		s3 = boto3.client('s3', endpoint_url=endpoint)
		for f in sys.argv[4:]:
		    s3.upload_file(f, bucket, prefix + os.path.basename(f))
		    os.remove(f)
		""";

	private static void report(int tasks, List<Double> total, List<Double> inside, List<Double> outside,
		List<Double> dcpUpload)
	{
		double parascope = median(outside.subList(1, tasks));
		double dcp = 30 + median(dcpUpload);
		System.out.println("| task | whole task (s) | inside CellProfiler (s) | outside CellProfiler (s) |");
		System.out.println("|---|---|---|---|");
		for (int i = 0; i < tasks; i++) {
			System.out.printf("| %d%s | %.2f | %.2f | %.3f |%n", i + 1, i == 0 ? " (first: class loading)" : "",
				total.get(i), inside.get(i), outside.get(i));
		}
		System.out.printf("%nParascope, outside CellProfiler, median of tasks 2-%d: %.3f s (max %.3f s; first task %.3f s)%n",
			tasks, parascope, outside.subList(1, tasks).stream().mapToDouble(d -> d).max().orElse(0), outside.get(0));
		System.out.printf("DCP's per-task handling: 30 s sleep + new-process upload (median of %d: %.2f s) = %.2f s%n",
			dcpUpload.size(), median(dcpUpload), dcp);
		System.out.printf("Ratio DCP / Parascope: %.0fx (upload alone: %.1fx)%n", dcp / parascope, median(dcpUpload) / parascope);
	}

	private static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		int n = sorted.size();
		return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
	}

	private static String[] concat(String[] a, String[] b) {
		String[] all = new String[a.length + b.length];
		System.arraycopy(a, 0, all, 0, a.length);
		System.arraycopy(b, 0, all, a.length, b.length);
		return all;
	}
}
