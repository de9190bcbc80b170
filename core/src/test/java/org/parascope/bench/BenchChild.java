package org.parascope.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.parascope.aws.AwsClients;
import org.parascope.cli.Main;
import org.parascope.config.Config;
import org.parascope.job.Job;
import org.parascope.job.TaskMessage;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * One measured run of {@link SubmitBenchmark}, in a JVM of its own so that its memory and start-up
 * are its own. The SQS endpoint comes from AWS_ENDPOINT_URL_SQS. Prints one line:
 * {@code RESULT tasks=.. seconds=.. prep=.. heapMiB=.. afterGcMiB=.. rssMiB=..}, where seconds time the
 * sending only (for submit: the whole command, in-process; the parent also times the process) and prep
 * the ceiling's encoding of the bodies before its first request.
 *
 * <pre>
 * submit ARGS...                  the real command line: Main.run(ARGS)
 * dcp JOB QUEUE SAMPLE            Distributed-CellProfiler's way: one SendMessage per task, one after another
 * ceiling JOB QUEUE SENDERS       SendMessageBatch of ten from SENDERS threads, bodies prepared in memory first
 * </pre>
 */
public final class BenchChild {

	private BenchChild() {}

	public static void main(String[] args) throws Exception {
		MemoryPeak memory = MemoryPeak.start();
		long start = System.nanoTime();
		long tasks;
		double prep = 0;
		int exit = 0;
		switch (args[0]) {
			case "submit" -> {
				exit = Main.run(Arrays.copyOfRange(args, 1, args.length), System.getenv());
				tasks = -1;
			}
			case "dcp" -> {
				try (AwsClients aws = new AwsClients(Config.defaults(), null, System.getenv())) {
					List<String> bodies = bodies(Path.of(args[1]), Integer.parseInt(args[3]));
					SqsClient sqs = aws.sqs();
					String url = sqs.getQueueUrl(b -> b.queueName(args[2])).queueUrl();
					start = System.nanoTime();
					for (String body : bodies) sqs.sendMessage(b -> b.queueUrl(url).messageBody(body));
					tasks = bodies.size();
				}
			}
			case "ceiling" -> {
				try (AwsClients aws = new AwsClients(Config.defaults(), null, System.getenv())) {
					long preparing = System.nanoTime();
					List<String> bodies = bodies(Path.of(args[1]), Integer.MAX_VALUE);
					prep = (System.nanoTime() - preparing) / 1e9;
					SqsClient sqs = aws.sqs();
					String url = sqs.getQueueUrl(b -> b.queueName(args[2])).queueUrl();
					int senders = Integer.parseInt(args[3]);
					start = System.nanoTime();
					ceiling(sqs, url, bodies, senders);
					tasks = bodies.size();
				}
			}
			default -> throw new IllegalArgumentException("mode: submit, dcp or ceiling, not " + args[0]);
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		System.out.printf("RESULT tasks=%d seconds=%.3f prep=%.3f %s exit=%d%n", tasks, seconds, prep, memory.stop(), exit);
		System.exit(exit);
	}

	private static List<String> bodies(Path jobFile, int limit) {
		List<String> bodies = new ArrayList<>();
		Job job = Job.read(jobFile);
		try {
			job.forEachTask(task -> {
				if (bodies.size() == limit) throw new IllegalStateException("enough");
				bodies.add(TaskMessage.encode(task));
			});
		}
		catch (IllegalStateException enough) {
			// The sample is complete.
		}
		return bodies;
	}

	/** The bare loop: no job file, no checks, no bookkeeping; failed entries would show in the count. */
	private static void ceiling(SqsClient sqs, String url, List<String> bodies, int senders) throws InterruptedException {
		AtomicInteger next = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(senders);
		for (int s = 0; s < senders; s++) {
			pool.execute(() -> {
				for (int from; (from = next.getAndAdd(10)) < bodies.size();) {
					List<SendMessageBatchRequestEntry> entries = new ArrayList<>(10);
					for (int i = from; i < Math.min(bodies.size(), from + 10); i++) {
						entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i - from)).messageBody(bodies.get(i)).build());
					}
					sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries));
				}
			});
		}
		pool.shutdown();
		pool.awaitTermination(1, TimeUnit.HOURS);
	}
}
