package org.parascope.bench;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;

import org.elasticmq.RelaxedSQSLimits$;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.parascope.aws.TcpProxy;
import org.parascope.aws.TestQueues;
import org.parascope.submit.JobFiles;
import org.parascope.submit.Submitter;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * How fast 'parascope submit' queues a large job, against an SQS server that stays fast as its queue
 * grows (ElasticMQ, embedded here on a loopback port), on loopback and through a proxy adding a round-trip
 * latency. In the same run: Distributed-CellProfiler's method (one SendMessage per task, one after
 * another; a sample, extrapolated) and a bare SendMessageBatch loop with the same concurrency (the
 * practical ceiling). Every measured run is a JVM of its own ({@link BenchChild}). Prints a Markdown
 * report for docs/benchmarks.md, which also gives the command.
 *
 * <p>Options (--name=value): tasks (100000), small (10000: the memory comparison), senders
 * ({@value Submitter#DEFAULT_SENDERS}), rtt-ms (20), dcp-sample (5000 on loopback),
 * dcp-sample-latency (1000 through the proxy), python (a Python with boto3: also measures DCP's own run.py loop),
 * repeats (3: ceiling and submit take turns this often; the medians are reported), large (0: if set, one more
 * submit of that many tasks, for memory), jvm-compare (false: if true, only the launcher's memory options are measured,
 * see {@link #compareJvmOptions}).
 */
public final class SubmitBenchmark {

	/** @param sending for submit: the seconds it reports for sending alone (after reading and checking the job) */
	private record Run(String method, String network, long tasks, double seconds, double sending, String memory,
		boolean extrapolated) {

		double rate() {
			return tasks / seconds;
		}
	}

	/**
	 * The JVM options ./parascope gives every command but 'run', less the heap cap and collector (the line
	 * lean=(...) of dist/src/bin/parascope, which {@link #compareJvmOptions} measures against these). Every
	 * Java method measured here runs with them, so that the comparison is like for like; like the launcher, the benchmark also archives the
	 * classes of a first submit and lets every later JVM map that archive (class data sharing).
	 */
	private static final List<String> LAUNCHER_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-Xlog:disable",
		"-Xlog:all=warning,cds*=off:stderr");
	private final List<String> jvm = new ArrayList<>(LAUNCHER_JVM_OPTIONS);

	private final Map<String, String> options = new LinkedHashMap<>(Map.of("tasks", "100000", "small", "10000", "senders",
		"" + Submitter.DEFAULT_SENDERS, "rtt-ms", "20", "dcp-sample", "5000", "dcp-sample-latency", "1000",
		"python", "", "repeats", "3", "large", "0", "jvm-compare", "false"));
	private final Path work;
	private SqsClient admin;
	private URI elastic;
	private int runs;
	private String childClassPath;

	private SubmitBenchmark(String[] args) throws IOException {
		for (String a : args) {
			String[] kv = a.replaceFirst("^--", "").split("=", 2);
			if (!options.containsKey(kv[0]) || kv.length != 2) throw new IllegalArgumentException("unknown option " + a + "; options: " + options);
			options.put(kv[0], kv[1]);
		}
		// The runs start in folders of their own.
		if (options.get("python").contains("/")) options.put("python", Path.of(options.get("python")).toAbsolutePath().toString());
		work = Files.createTempDirectory("parascope-bench");
	}

	private int option(String name) {
		return Integer.parseInt(options.get(name));
	}

	public static void main(String[] args) throws Exception {
		new SubmitBenchmark(args).run();
	}

	private void run() throws Exception {
		int tasks = option("tasks"), small = option("small"), senders = option("senders");
		String load = Files.readString(Path.of("/proc/loadavg")).strip();
		System.err.println("Writing job files to " + work);
		Path big = JobFiles.dcp(work.resolve("job-" + tasks + ".json"), tasks, 0);
		Path little = JobFiles.dcp(work.resolve("job-" + small + ".json"), small, 0);

		// Relaxed limits: ElasticMQ then skips its per-character check of every body, which cost it more CPU
		// than anything else here (the server shares the machine with the client; real SQS does not).
		SQSRestServer server = SQSRestServerBuilder.withSQSLimits(RelaxedSQSLimits$.MODULE$).withInterface("127.0.0.1")
			.withDynamicPort().start();
		elastic = URI.create("http://127.0.0.1:" + server.waitUntilStarted().localAddress().getPort());
		admin = SqsClient.builder().endpointOverride(elastic).region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench"))).build();
		List<Run> results = new ArrayList<>();
		try {
			Path classes = work.resolve("classes.jsa");
			jvm.add("-XX:ArchiveClassesAtExit=" + classes);
			measure(elastic, "loopback", "parascope submit (writes the class archive)", small, false,
				q -> List.of("submit", "--config", config(q).toString(), "submit", little.toString(), "--senders", "" + senders));
			jvm.set(jvm.size() - 1, "-XX:SharedArchiveFile=" + classes);
			// ElasticMQ's JIT takes a few hundred thousand messages to warm up (its rate doubles meanwhile);
			// a real SQS endpoint is warm. Bare loops until the rate stops rising by more than 10 %.
			double before = 0;
			for (int i = 0; i < 6; i++) {
				double rate = measure(elastic, "loopback", "warm-up", tasks, false,
					q -> List.of("ceiling", big.toString(), q, "" + senders)).rate();
				if (rate < before * 1.1) break;
				before = rate;
			}
			if (Boolean.parseBoolean(options.get("jvm-compare"))) {
				compareJvmOptions(big, senders, load);
				return;
			}
			for (int rtt : new int[] { 0, option("rtt-ms") }) {
				String network = rtt == 0 ? "loopback" : "+" + rtt + " ms round trip";
				try (TcpProxy proxy = rtt == 0 ? null : new TcpProxy(elastic, Duration.ofNanos(rtt * 500_000L))) {
					URI endpoint = proxy == null ? elastic : proxy.endpoint();
					// Taking turns, several times: the machine's other load drifts, and the median of each is fair.
					List<Run> ceilings = new ArrayList<>(), submits = new ArrayList<>();
					for (int i = 0; i < option("repeats"); i++) {
						ceilings.add(measure(endpoint, network, "bare SendMessageBatch loop (ceiling)", tasks, false,
							q -> List.of("ceiling", big.toString(), q, "" + senders)));
						submits.add(measure(endpoint, network, "parascope submit", tasks, false,
							q -> List.of("submit", "--config", config(q).toString(), "submit", big.toString(), "--senders", "" + senders)));
					}
					results.add(median(ceilings));
					results.add(median(submits));
					if (rtt == 0) {
						for (int size : new int[] { small, option("large") }) {
							if (size == 0) continue;
							Path job = size == small ? little : JobFiles.dcp(work.resolve("job-" + size + ".json"), size, 0);
							results.add(measure(endpoint, network, "parascope submit", size, false,
								q -> List.of("submit", "--config", config(q).toString(), "submit", job.toString(), "--senders", "" + senders)));
						}
					}
					int sample = option(rtt == 0 ? "dcp-sample" : "dcp-sample-latency");
					results.add(measure(endpoint, network, "DCP method, Java SDK: SendMessage per task", sample, true,
						q -> List.of("dcp", big.toString(), q, "" + sample)));
					if (!options.get("python").isEmpty()) {
						results.add(measure(endpoint, network, "DCP method, boto3 as run.py: send_message per task", sample, true,
							q -> List.of(options.get("python"), dcpScript().toString(), big.toString(), q, "" + sample)));
					}
				}
			}
		}
		finally {
			admin.close();
			server.stopAndWait();
		}
		report(results, tasks, senders, load);
		try (var files = Files.list(work)) {
			for (Path f : files.filter(f -> f.getFileName().toString().startsWith("job-")).toList()) Files.delete(f);
		}
	}

	/**
	 * The heap cap and collector the launcher gives control-plane commands (the line {@code lean=(...)} of
	 * dist/src/bin/parascope, read from there so that what is measured is what ships) against the options
	 * before them, taking turns on the same job: a submit of {@code tasks} and, if set, of {@code large} tasks,
	 * {@code repeats} times each. Reports each one's median rate and its largest peak resident set.
	 */
	private void compareJvmOptions(Path big, int senders, String load) throws Exception {
		String launcher = Files.readString(Path.of("dist/src/bin/parascope"));
		java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^lean=\\(([^)]*)\\)").matcher(launcher);
		if (!m.find()) throw new IllegalStateException("dist/src/bin/parascope has no line lean=(...); run from the repository root");
		List<String> lean = List.of(m.group(1).strip().split("\\s+"));
		List<String> before = List.copyOf(jvm);
		List<String> after = new ArrayList<>(before);
		after.addAll(0, lean);
		List<Run> results = new ArrayList<>();
		List<String> rows = new ArrayList<>();
		for (int size : new int[] { option("tasks"), option("large") }) {
			if (size == 0) continue;
			Path job = size == option("tasks") ? big : JobFiles.dcp(work.resolve("job-" + size + ".json"), size, 0);
			List<Run> old = new ArrayList<>(), leanRuns = new ArrayList<>();
			for (int i = 0; i < option("repeats"); i++) {
				for (List<String> options : List.of(before, after)) {
					jvm.clear();
					jvm.addAll(options);
					Run r = measure(elastic, "loopback", options == before ? "before: JVM defaults" : "after: " + String.join(" ", lean),
						size, false, q -> List.of("submit", "--config", config(q).toString(), "submit", job.toString(), "--senders", "" + senders));
					(options == before ? old : leanRuns).add(r);
				}
			}
			for (List<Run> runs : List.of(old, leanRuns)) {
				Run median = median(runs);
				double rss = runs.stream().mapToDouble(r -> Double.parseDouble(r.memory.replaceAll(".*, ([0-9.]+) MiB RSS", "$1"))).max().orElse(0);
				double liveHeap = runs.stream().mapToDouble(r -> Double.parseDouble(r.memory.replaceAll("^([0-9.]+) MiB heap.*", "$1"))).max().orElse(0);
				double rate = median.rate(), baseline = median(old).rate();
				rows.add(String.format("| %s | %d | %.1f (sending %.1f) | %.0f | %.0f %% | %.1f MiB | %.1f MiB |", median.method, size,
					median.seconds, median.sending, rate, 100 * rate / baseline, liveHeap, rss));
				results.add(median);
			}
		}
		StringBuilder b = new StringBuilder(String.format("Machine: %s, %d cores, %s; %s %s; load average before the run: %s.%n",
			cpu(), Runtime.getRuntime().availableProcessors(), memoryTotal(), System.getProperty("java.vm.name"),
			System.getProperty("java.version"), load));
		b.append(String.format("Both: %s, %d senders, loopback.%n%n", String.join(" ", before), senders));
		b.append("| JVM options | tasks | seconds | tasks/s (median) | rate vs before | largest heap after GC | largest peak RSS |\n");
		b.append("|---|---:|---:|---:|---:|---:|---:|\n");
		rows.forEach(r -> b.append(r).append('\n'));
		System.out.println(b);
		Files.writeString(work.resolve("report.md"), b);
		System.err.println("Report also in " + work.resolve("report.md"));
	}

	private interface Args {
		List<String> of(String queue) throws IOException;
	}

	/** One run in a fresh queue; checks that the queue holds every task afterwards. */
	private Run measure(URI endpoint, String network, String method, long tasks, boolean sample, Args args) throws Exception {
		String app = "Bench" + ++runs;
		Files.createDirectories(work.resolve(app));
		TestQueues.create(admin, app + "Queue", app + "DeadMessages", 3, Duration.ofSeconds(60));
		List<String> given = args.of(app + "Queue");
		List<String> command = new ArrayList<>();
		if (!given.get(0).equals(options.get("python"))) {
			command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
			command.addAll(jvm);
			command.addAll(List.of("-cp", childClassPath(), BenchChild.class.getName()));
		}
		command.addAll(given);
		ProcessBuilder pb = new ProcessBuilder(command).directory(work.resolve(app).toFile())
			.redirectError(work.resolve(app + ".err").toFile());
		Map<String, String> env = pb.environment();
		env.keySet().removeIf(k -> k.startsWith("AWS_"));
		env.putAll(Map.of("AWS_ENDPOINT_URL_SQS", endpoint.toString(), "AWS_ACCESS_KEY_ID", "bench", "AWS_SECRET_ACCESS_KEY",
			"bench", "AWS_REGION", "us-east-1"));
		System.err.printf("%s, %s, %d tasks...%n", method, network, tasks);
		long start = System.nanoTime();
		Process p = pb.start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		int exit = p.waitFor();
		double processSeconds = (System.nanoTime() - start) / 1e9;
		String result = out.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElse(null);
		if (exit != 0 || result == null) {
			throw new IllegalStateException(method + " failed (exit " + exit + "):\n" + out + Files.readString(work.resolve(app + ".err")));
		}
		Map<String, String> r = new HashMap<>();
		for (String kv : result.substring(7).split(" ")) r.put(kv.split("=")[0], kv.split("=")[1]);
		String url = admin.getQueueUrl(b -> b.queueName(app + "Queue")).queueUrl();
		long queued = Long.parseLong(admin.getQueueAttributes(b -> b.queueUrl(url)
			.attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
			.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
		if (queued != tasks) throw new IllegalStateException(method + ": the queue holds " + queued + " tasks, not " + tasks);
		admin.deleteQueue(b -> b.queueUrl(url));
		admin.deleteQueue(b -> b.queueUrl(admin.getQueueUrl(q -> q.queueName(app + "DeadMessages")).queueUrl()));
		// The submit is timed as a whole command (the process), and so is the ceiling, less the time it spends
		// encoding its bodies before sending: a program that starts, looks up the queue and only sends. Both
		// also report their sending alone. The DCP method is timed by its loop (which flatters it a little).
		double loop = Double.parseDouble(r.get("seconds"));
		double seconds = method.startsWith("parascope") ? processSeconds
			: method.startsWith("bare") ? processSeconds - Double.parseDouble(r.get("prep")) : loop;
		String memory = r.containsKey("rssMiB") ? String.format("%s MiB heap after GC, %s MiB RSS", r.get("afterGcMiB"),
			r.get("rssMiB")) : "";
		// "Sent N tasks of JOB to queue Q in S s (R tasks/s)."
		double sending = out.lines().filter(l -> l.startsWith("Sent ")).map(l -> l.replaceAll(".* in ([0-9.]+) s .*", "$1"))
			.mapToDouble(Double::parseDouble).findFirst().orElse(loop);
		Run run = new Run(method, network, tasks, seconds, sending, memory, sample);
		System.err.printf("  %.1f s (sending %.1f s), %.0f tasks/s; %s%n", seconds, sending, run.rate(), memory);
		return run;
	}

	/** Distributed-CellProfiler's submitJob loop, as its run.py does it: boto3, one send_message per group. */
	private Path dcpScript() throws IOException {
		return Files.writeString(work.resolve("dcp_submit.py"), """
			import json, os, sys, time
			import boto3
			job_file, queue_name, sample = sys.argv[1], sys.argv[2], int(sys.argv[3])
			job = json.load(open(job_file))
			sqs = boto3.resource('sqs', endpoint_url=os.environ['AWS_ENDPOINT_URL_SQS'], region_name='us-east-1')
			queue = sqs.get_queue_by_name(QueueName=queue_name)
			shared = {k: v for k, v in job.items() if k != 'groups' and not k.startswith('_comment')}
			groups = job['groups'][:sample]
			start = time.time()
			for group in groups:
			    message = dict(shared)
			    message['Metadata'] = group['Metadata']
			    queue.send_message(MessageBody=json.dumps(message))
			print('RESULT tasks=%d seconds=%.3f' % (len(groups), time.time() - start))
			""");
	}

	/**
	 * The children's class path: absolute, as they run in folders of their own, and jars only, as class data
	 * sharing archives no classes from folders (target/classes and target/test-classes are jarred once).
	 */
	private String childClassPath() throws IOException {
		if (childClassPath == null) {
			List<String> entries = new ArrayList<>();
			for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
				Path entry = Path.of(e).toAbsolutePath();
				if (Files.isDirectory(entry)) {
					Path jar = work.resolve("classes-" + entries.size() + ".jar");
					int exit = ToolProvider.findFirst("jar").orElseThrow().run(System.out, System.err, "--create", "--file",
						jar.toString(), "-C", entry.toString(), ".");
					if (exit != 0) throw new IOException("jar failed for " + entry);
					entry = jar;
				}
				entries.add(entry.toString());
			}
			childClassPath = String.join(File.pathSeparator, entries);
		}
		return childClassPath;
	}

	/** The run of median rate, named with every rate measured. */
	private static Run median(List<Run> runs) {
		List<Run> sorted = runs.stream().sorted(Comparator.comparingDouble(Run::rate)).toList();
		Run m = sorted.get(sorted.size() / 2);
		String all = runs.stream().map(r -> String.format("%.0f", r.rate())).collect(Collectors.joining(", "));
		return new Run(m.method + " (median of " + runs.size() + ": " + all + " tasks/s)", m.network, m.tasks, m.seconds,
			m.sending, m.memory, m.extrapolated);
	}

	private Path config(String queue) throws IOException {
		String app = queue.substring(0, queue.length() - "Queue".length());
		return Files.writeString(work.resolve(app).resolve("parascope.yml"), "APP_NAME: " + app + "\n");
	}

	private void report(List<Run> runs, int tasks, int senders, String load) throws IOException {
		boolean boto3 = runs.stream().anyMatch(r -> r.method.contains("boto3"));
		StringBuilder b = new StringBuilder();
		b.append(String.format("Machine: %s, %d cores, %s; %s %s; load average before the run: %s.%n",
			cpu(), Runtime.getRuntime().availableProcessors(), memoryTotal(), System.getProperty("java.vm.name"),
			System.getProperty("java.version"), load));
		b.append(String.format("Concurrency: %d requests in flight (submit --senders and the bare loop). Java runs: %s.%n%n",
			senders, String.join(" ", jvm)));
		b.append("| network | method | tasks | seconds | tasks/s | x DCP (Java) |" + (boto3 ? " x DCP (boto3) |" : "")
			+ " % of ceiling | % of ceiling, sending only | memory (peak) |\n");
		b.append("|---|---|---:|---:|---:|---:|" + (boto3 ? "---:|" : "") + "---:|---:|---|\n");
		for (Run r : runs) {
			String seconds = r.extrapolated
				? String.format("%.1f (sample; %.0f for %d)", r.seconds, tasks / r.rate(), tasks)
				: r.method.startsWith("parascope") || r.method.startsWith("bare")
				? String.format("%.1f (sending %.1f)", r.seconds, r.sending) : String.format("%.1f", r.seconds);
			b.append(String.format("| %s | %s | %d | %s | %.0f | %.1f |", r.network, r.method, r.tasks, seconds, r.rate(),
				r.rate() / find(runs, r.network, "DCP method, Java").rate()));
			if (boto3) b.append(String.format(" %.1f |", r.rate() / find(runs, r.network, "DCP method, boto3").rate()));
			Run ceiling = find(runs, r.network, "bare");
			boolean submit = r.method.startsWith("parascope") && r.tasks == ceiling.tasks;
			b.append(String.format(" %s | %s | %s |%n", submit ? String.format("%.0f %%", 100 * r.rate() / ceiling.rate()) : "",
				submit ? String.format("%.0f %%", 100 * ceiling.sending / r.sending) : "", r.memory));
		}
		System.out.println(b);
		Files.writeString(work.resolve("report.md"), b);
		System.err.println("Report also in " + work.resolve("report.md"));
	}

	private static Run find(List<Run> runs, String network, String prefix) {
		return runs.stream().filter(r -> r.network.equals(network) && r.method.startsWith(prefix)).findFirst().orElseThrow();
	}

	private static String cpu() throws IOException {
		return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
			.map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown CPU");
	}

	private static String memoryTotal() throws IOException {
		return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
			.map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024 / 1024 + " GiB RAM").findFirst().orElse("");
	}
}
