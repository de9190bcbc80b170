package org.parascope;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.parascope.aws.AwsClients;
import org.parascope.aws.logs.CloudWatchTaskLogs;
import org.parascope.aws.logs.LogShipping;
import org.parascope.aws.Names;
import org.parascope.aws.store.S3ObjectStore;
import org.parascope.aws.fleet.SpotInterruption;
import org.parascope.aws.queue.SqsTaskQueue;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;
import org.parascope.trace.Machine;
import org.parascope.trace.MachineIdentity;
import org.parascope.trace.StoreTraceSink;
import org.parascope.trace.Trace;
import org.parascope.trace.TracePlace;
import org.parascope.trace.TraceWriter;
import org.parascope.worker.DoneCheck;
import org.parascope.worker.RetryBackoff;
import org.parascope.worker.RunnerProvider;
import org.parascope.worker.Runners;
import org.parascope.worker.ScriptDownload;
import org.parascope.worker.Stores;
import org.parascope.worker.Worker;
import org.parascope.worker.WorkerListener;
import org.parascope.worker.WorkerProcess;

/**
 * The workers as they run in a container on the fleet (parascope worker): the one task loop wired to the
 * config's SQS queue, S3 buckets, CloudWatch Logs and the trace in AWS_BUCKET.
 */
final class CloudWorkers {

	/** Records per trace batch at most: a batch object stays small. */
	private static final int TRACE_RECORDS = 500;

	private final Config config;
	private final AwsClients aws;
	private final List<RunnerProvider> engines;
	private final Buckets buckets;

	CloudWorkers(Config config, AwsClients aws, List<RunnerProvider> engines) {
		this.config = config;
		this.aws = aws;
		this.engines = engines;
		this.buckets = new Buckets(config, aws);
	}

	/** See {@link Parascope#cloudWorker}. */
	Worker worker(String name, WorkerListener listener, Path scratch) {
		return new Worker(name, new Runners(engines, config), setup(listener, scratch));
	}

	/** See {@link Parascope#workerProcess}. */
	WorkerProcess process(WorkerProcess.Options options, Path scratch, WorkerListener listener) {
		Worker.Setup setup = setup(listener, scratch);
		try {
			for (RunnerProvider engine : engines) engine.prepare(config, listener::note);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new ParascopeException("stopped while the worker was being prepared");
		}
		Optional<Supplier<Optional<String>>> spot = aws.metadataEndpoint()
			.map(endpoint -> new SpotInterruption(endpoint, listener::note));
		Trace trace = trace(listener);
		return new WorkerProcess(n -> new Worker("worker-" + n, new Runners(engines, config), setup, trace), options, spot,
			listener::note).closing(trace);
	}

	/** The worker process's trace: batches of records in AWS_BUCKET (docs/trace.md), unless TRACE_SECONDS is 0. */
	private Trace trace(WorkerListener listener) {
		int seconds = config.integer(ConfigKey.TRACE_SECONDS);
		String bucket = config.has(ConfigKey.AWS_BUCKET) ? config.string(ConfigKey.AWS_BUCKET) : null;
		if (seconds <= 0 || bucket == null) {
			listener.note("trace: off (" + (seconds <= 0 ? "TRACE_SECONDS is 0" : "AWS_BUCKET is not set") + ")");
			return Trace.NONE;
		}
		Machine machine = MachineIdentity.detect(aws.metadataEndpoint(), System.getenv());
		StoreTraceSink sink = new StoreTraceSink(S3ObjectStore.of(aws, bucket), TracePlace.prefix(Names.of(config).app()), machine);
		listener.note("trace: " + sink.location() + " (every " + seconds + " s or " + TRACE_RECORDS + " records; machine "
			+ machine.machine() + (machine.instanceType() == null ? "" : ", " + machine.instanceType())
			+ (machine.zone() == null ? "" : ", " + machine.zone()) + ")");
		return new TraceWriter(Names.of(config).app(), machine, sink, TRACE_RECORDS, Duration.ofSeconds(seconds), listener::note);
	}

	private Worker.Setup setup(WorkerListener listener, Path scratch) {
		S3ObjectStore destination = buckets.bucket(ConfigKey.DESTINATION_BUCKET).withUploadFlags(config.string(ConfigKey.UPLOAD_FLAGS));
		Stores stores = new Stores(buckets.bucket(ConfigKey.SOURCE_BUCKET), buckets.bucket(ConfigKey.WORKSPACE_BUCKET), destination,
			ScriptDownload.of(config, buckets::at, scratch.resolve("downloaded-script")));
		WorkerListener shipping = new LogShipping(new CloudWatchTaskLogs(aws.logs(), Names.of(config).logGroup()), listener);
		// 5 s long polls: few requests on an empty queue, and a stopping worker is not kept waiting long.
		return new Worker.Setup(SqsTaskQueue.open(aws, config).reportingTo(listener::note), stores, DoneCheck.of(config),
			shipping, scratch, Duration.ofSeconds(5), Duration.ofSeconds(config.integer(ConfigKey.TASK_TIMEOUT)),
			RetryBackoff.from(Duration.ofSeconds(config.integer(ConfigKey.RETRY_DELAY))));
	}
}
