package org.parascope.monitor;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.function.Supplier;

import org.parascope.Failures;
import org.parascope.Ticker;
import org.parascope.fleet.Fleet;
import org.parascope.fleet.FleetState;
import org.parascope.progress.Durations;
import org.parascope.queue.QueueCounts;
import org.parascope.queue.TaskQueue;
import org.parascope.run.RunKeys;
import org.parascope.run.RunState;
import org.parascope.run.RunStateStore;

/**
 * Watches a run: reads the queue and the fleet every interval, reports progress, lowers the fleet
 * when nothing waits, and tears everything down once the queue has stayed empty. Its memory is the
 * run's state ({@link RunKeys}), so a killed monitor restarted on the same file carries on, and a
 * run that was torn down stays finished.
 *
 * <p>The rules, at each reading:
 * <ul>
 * <li>Teardown: after {@link MonitorOptions#emptyReadings()} readings in a row with nothing waiting
 * and nothing in flight (SQS counts are approximate: DCP tore down at the first zero).
 * <li>Scale-down: when nothing waited at the last {@value #QUIET_READINGS} readings, the fleet target
 * drops to the machines the tasks in flight need, ceil(in flight / tasks per machine), never below
 * one before the teardown, so that a task that comes back after a failure still finds a machine.
 * <li>Cheapest mode: from 15 minutes after the first reading, the target is at most one machine.
 * <li>The monitor only ever lowers the fleet; raising it is start-fleet's job.
 * </ul>
 *
 * <p>Weather does not end it: a reading, a scale-down or a teardown that fails for a reason waiting
 * can fix (throttling, a 5xx answer, a dropped connection, a timeout, expired credentials; see
 * {@link Failures#isTransient}, as the adapters' {@link Failures} tell) is reported on one line and tried again after growing pauses
 * ({@link #FIRST_RETRY} doubling up to {@link #LONGEST_RETRY}), for as long as the run lives. It stops
 * without tearing down only when told to (an interrupt: Ctrl-C, a Stop button) or on a failure waiting
 * cannot fix (a deleted queue, a permission taken away); it then says what still runs and costs.
 */
public final class Monitor {

	public enum Ending {
		/** This monitor tore the run down. */
		TORN_DOWN,
		/** Someone else did, before or while this monitor watched. */
		ALREADY_TORN_DOWN,
		/** Stopped before the teardown: told to, or on a failure waiting cannot fix. The run's resources remain. */
		STOPPED
	}

	/**
	 * @param last    the last good reading; empty when the run was already torn down
	 * @param why     why the monitor stopped (STOPPED only)
	 * @param machines the fleet when the monitor stopped, as last seen (STOPPED only)
	 */
	public record Outcome(Ending ending, Optional<MonitorReading> last, Optional<String> why,
		Optional<FleetState> machines) {

		public Outcome(Ending ending, Optional<MonitorReading> last) {
			this(ending, last, Optional.empty(), Optional.empty());
		}
	}

	/** Readings with nothing waiting before the fleet is lowered: one approximate zero proves little. */
	static final int QUIET_READINGS = 2;
	/** The first pause after a failure caused by weather; each further failure in a row doubles it. */
	public static final Duration FIRST_RETRY = Duration.ofSeconds(10);
	/** The longest pause between tries: a run is never left unwatched for longer. */
	public static final Duration LONGEST_RETRY = Duration.ofMinutes(5);

	private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

	private final Supplier<QueueCounts> queue;
	private final Fleet fleet;
	private final RunStateStore store;
	private final MonitorOptions options;
	private final MonitorListener listener;
	private final Runnable teardown;
	private final Ticker ticker;
	private final Failures failures;
	private int empty;
	private int quiet;
	/** Failures in a row caused by weather; a success resets it. */
	private int failuresInARow;
	private Optional<MonitorReading> last = Optional.empty();

	/**
	 * @param teardown removes the run's resources; it reports through the listener and throws when it
	 *        could not finish, which leaves the teardown marked as started, to be finished by a rerun
	 *        (or by this monitor, after a pause, when the failure's cause is transient)
	 */
	public Monitor(TaskQueue queue, Fleet fleet, RunStateStore store, MonitorOptions options, MonitorListener listener,
		Runnable teardown, Ticker ticker) {
		this(queue::counts, fleet, store, options, listener, teardown, ticker, Failures.CORE);
	}

	/**
	 * @param queue reads the queue's counts: all the monitor needs of it
	 * @param failures tells the failures of the queue, fleet, store and teardown apart: weather, interrupt or neither
	 */
	public Monitor(Supplier<QueueCounts> queue, Fleet fleet, RunStateStore store, MonitorOptions options,
		MonitorListener listener, Runnable teardown, Ticker ticker, Failures failures) {
		this.failures = failures;
		this.queue = queue;
		this.fleet = fleet;
		this.store = store;
		this.options = options;
		this.listener = listener;
		this.teardown = teardown;
		this.ticker = ticker;
	}

	/** Why a monitor stops before the run is torn down. */
	private static final class Stop extends RuntimeException {
		Stop(String why) {
			super(why, null, false, false);
		}
	}

	/**
	 * Runs until the run is torn down, by this monitor or by someone else, or until stopped
	 * ({@link Ending#STOPPED}). A state file that cannot be read at the start is an error.
	 */
	public Outcome run() {
		RunState state = readState(store, listener, ticker, failures);
		Optional<Outcome> finished = ifTornDown(store, state, listener);
		if (finished.isPresent()) return finished.get();
		try {
			if (state.teardownStarted()) {
				listener.note("an earlier teardown of this run did not finish: finishing it");
				return tearDown();
			}
			while (true) {
				Optional<MonitorReading> reading = patiently("reading the queue and the fleet", this::read);
				if (reading.isEmpty()) return new Outcome(Ending.ALREADY_TORN_DOWN, Optional.empty());
				last = reading;
				if (reading.get().emptyReadings() >= options.emptyReadings()) {
					listener.note("nothing waiting or in flight at " + reading.get().emptyReadings()
						+ " readings in a row: tearing down");
					return tearDown();
				}
				pause(options.interval());
			}
		}
		catch (Stop stop) {
			return stopped(stop.getMessage());
		}
	}

	/**
	 * Does {@code action} until it succeeds. A failure caused by weather is reported and tried again
	 * after a growing pause; an interrupt or any other failure stops the monitor ({@link Stop}).
	 */
	private <T> T patiently(String doing, Supplier<T> action) {
		while (true) {
			try {
				T result = action.get();
				failuresInARow = 0;
				return result;
			}
			catch (Stop stop) {
				throw stop;
			}
			catch (RuntimeException e) {
				if (Thread.currentThread().isInterrupted() || failures.isInterrupt(e)) throw new Stop("stopped while " + doing);
				if (!failures.isTransient(e)) throw new Stop(doing + " failed, and waiting will not help: "
					+ failures.explain(e));
				Duration wait = retryPause(++failuresInARow);
				listener.note(clock(ticker.now()) + "  " + doing + " failed (" + failures.explain(e) + "); trying again in "
					+ Durations.readable(wait) + last.map(r -> "; the last good reading, at " + clock(r.at()) + ", stands").orElse(""));
				pause(wait);
			}
		}
	}

	/**
	 * Reads a state file, waiting out weather (an S3 copy behind a throttled or unreachable API);
	 * any other failure (no such file, not a state file) is thrown as it is.
	 */
	public static RunState readState(RunStateStore store, MonitorListener listener, Ticker ticker, Failures failures) {
		for (int n = 1;; n++) {
			try {
				return store.read();
			}
			catch (RuntimeException e) {
				if (!failures.isTransient(e) || failures.isInterrupt(e)) throw e;
				Duration wait = retryPause(n);
				listener.note(clock(ticker.now()) + "  reading " + store.location() + " failed (" + failures.explain(e)
					+ "); trying again in " + Durations.readable(wait));
				ticker.sleep(wait);
			}
		}
	}

	/** The pause before the {@code n}-th try in a row after weather: 10 s, 20 s, 40 s ... at most 5 min. */
	static Duration retryPause(int n) {
		long millis = FIRST_RETRY.toMillis() << Math.min(n - 1, 20);
		return Duration.ofMillis(Math.min(millis, LONGEST_RETRY.toMillis()));
	}

	private void pause(Duration wait) {
		try {
			ticker.sleep(wait);
		}
		catch (Ticker.Interrupted e) {
			throw new Stop("told to stop");
		}
		if (Thread.currentThread().isInterrupted()) throw new Stop("told to stop");
	}

	/**
	 * The outcome of a monitor that stops before the teardown; says why and what still runs. A run
	 * torn down meanwhile by someone else (cleanup deletes the queue) is not a stop.
	 */
	private Outcome stopped(String why) {
		boolean interrupted = Thread.interrupted(); // the calls below must not be cut short; the flag is set again
		try {
			Optional<Outcome> gone = tornDownMeanwhile();
			if (gone.isPresent()) return gone.get();
			Optional<FleetState> machines = lastKnownFleet();
			listener.note("monitor stopped without tearing down: " + why);
			machines.ifPresent(m -> listener.note("still running: " + m.running() + " machine(s) of the fleet (target "
				+ m.target() + "), costing up to $" + String.format("%.2f", m.running() * options.machinePrice())
				+ " an hour (MACHINE_PRICE x machines), plus the queue, service and cluster of the run"));
			return new Outcome(Ending.STOPPED, last, Optional.of(why), machines);
		}
		finally {
			if (interrupted) Thread.currentThread().interrupt();
		}
	}

	private Optional<Outcome> tornDownMeanwhile() {
		try {
			RunState state = store.read();
			return state.tornDown() ? ifTornDown(store, state, listener) : Optional.empty();
		}
		catch (RuntimeException e) {
			return Optional.empty();
		}
	}

	/** The fleet now, or as the last reading saw it when it cannot be read. */
	private Optional<FleetState> lastKnownFleet() {
		try {
			return Optional.of(fleet.describe());
		}
		catch (RuntimeException e) {
			return last.map(r -> new FleetState(r.fleetTarget(), r.fleetRunning()));
		}
	}

	/** One reading and what follows from it; empty when someone tore the run down meanwhile (cleanup). */
	Optional<MonitorReading> read() {
		RunState state = store.read();
		if (ifTornDown(store, state, listener).isPresent()) return Optional.empty();
		Instant now = ticker.now();
		QueueCounts counts = queue.get();
		FleetState machines = fleet.describe();
		MonitorMemory memory = MonitorMemory.of(state, store.location())
			.map(m -> m.next(now, counts, machines.running()))
			.orElseGet(() -> MonitorMemory.first(now, counts, machines.running(), state.startTime()));
		empty = counts.drained() ? empty + 1 : 0;
		quiet = counts.waiting() == 0 ? quiet + 1 : 0;
		MonitorReading reading = new MonitorReading(now, counts.waiting(), counts.inFlight(), counts.dead(),
			memory.done(), memory.total(), memory.elapsed(), machines.target(), machines.running(),
			memory.machineHours(), memory.machineHours() * options.machinePrice(), empty);
		store.write(RecordedReading.into(memory.into(state), reading));
		listener.reading(reading);
		if (empty < options.emptyReadings()) lowerFleet(now, memory, counts, machines.target());
		return Optional.of(reading);
	}

	private void lowerFleet(Instant now, MonitorMemory memory, QueueCounts counts, int target) {
		int wanted = target;
		String why = null;
		if (options.cheapest() && !now.isBefore(memory.firstReading().plus(MonitorOptions.CHEAPEST_AFTER))) {
			wanted = 1;
			why = "cheapest mode, 15 minutes after the first reading";
		}
		if (quiet >= QUIET_READINGS) {
			int needed = (int) Math.max(1, (counts.inFlight() + options.tasksPerMachine() - 1) / options.tasksPerMachine());
			if (needed < wanted) {
				wanted = needed;
				why = "nothing waiting, " + counts.inFlight() + " task(s) in flight, " + options.tasksPerMachine()
					+ " per machine";
			}
		}
		if (wanted < target) {
			fleet.scale(wanted);
			listener.note("fleet target lowered from " + target + " to " + wanted + " machine(s): " + why);
		}
	}

	/** Marks the teardown started, runs it until it completes, and records it done. */
	private Outcome tearDown() {
		patiently("recording the teardown's start in " + store.location(), () -> {
			store.write(store.read().teardownBegun());
			return true;
		});
		patiently("tearing down", () -> {
			teardown.run();
			return true;
		});
		patiently("recording the teardown in " + store.location(), () -> {
			store.write(store.read().markedTornDown(ticker.now()));
			return true;
		});
		listener.note("teardown complete; " + store.location() + " records it");
		return new Outcome(Ending.TORN_DOWN, last);
	}

	private static String clock(Instant at) {
		return CLOCK.format(LocalTime.ofInstant(at, ZoneId.systemDefault()));
	}

	/** When the state file says the run was torn down: says so, and the outcome of a monitor on it. */
	public static Optional<Outcome> ifTornDown(RunStateStore store, RunState state, MonitorListener listener) {
		if (!state.tornDown()) return Optional.empty();
		listener.note(alreadyTornDown(store, state));
		return Optional.of(new Outcome(Ending.ALREADY_TORN_DOWN, Optional.empty()));
	}

	private static String alreadyTornDown(RunStateStore store, RunState state) {
		return "the run of " + state.app() + " in " + store.location() + " was already torn down"
			+ state.tornDownAt().map(at -> " at " + at).orElse("") + ": nothing to do";
	}
}
