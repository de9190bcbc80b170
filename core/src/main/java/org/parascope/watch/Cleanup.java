package org.parascope.watch;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

import org.parascope.Ticker;
import org.parascope.aws.AwsClients;
import org.parascope.aws.TeardownPlan;
import org.parascope.aws.run.Teardown;
import org.parascope.aws.store.S3RunStateStore;
import org.parascope.config.Config;
import org.parascope.run.RunState;
import org.parascope.run.RunStateStore;
import org.parascope.run.TeardownResult;

/**
 * Tearing a run down now (parascope cleanup, Fiji's Clean Up), idempotent: the state file's resources, or
 * without one the config's. A complete teardown is recorded in the state file and its S3 copy, which ends
 * any monitor.
 */
public final class Cleanup {

	private final Config config;
	private final AwsClients aws;

	public Cleanup(Config config, AwsClients aws) {
		this.config = config;
		this.aws = aws;
	}

	public TeardownResult run(Optional<Path> stateFile, Consumer<String> report) {
		Optional<RunState> state = stateFile.map(f -> RunStateStore.local(f).read());
		Teardown.Result result = new Teardown(aws, TeardownPlan.of(config, state), report, Teardown.Waits.DEFAULT,
			Ticker.SYSTEM, false).run();
		if (result.complete() && state.isPresent()) {
			Instant at = Instant.ofEpochMilli(System.currentTimeMillis());
			RunStateStore.local(stateFile.get()).write(state.get().markedTornDown(at));
			Optional<String> remote = state.get().detachedState();
			if (remote.isPresent()) {
				RunStateStore copy = S3RunStateStore.at(aws.s3(), remote.get());
				if (copy.exists()) copy.write(copy.read().markedTornDown(at));
			}
		}
		return new TeardownResult(result.lines(), result.problems(), result.weather());
	}
}
