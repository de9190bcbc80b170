package org.parascope.monitor;

import java.time.Instant;
import java.util.Optional;

import org.parascope.Ticker;
import org.parascope.aws.StateFile;
import org.parascope.fleet.Fleet;
import org.parascope.fleet.FleetState;
import org.parascope.queue.QueueCounts;
import org.parascope.queue.TaskQueue;

/**
 * Watches a run: reads the queue and the fleet every interval, reports progress, lowers the fleet
 * when nothing waits, and tears everything down once the queue has stayed empty. Its memory is the
 * state file ({@link StateKeys}), so a killed monitor restarted on the same file carries on, and a
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
 */
public final class Monitor {

	public enum Ending {
		TORN_DOWN, ALREADY_TORN_DOWN
	}

	/** @param last the last reading; empty when the run was already torn down */
	public record Outcome(Ending ending, Optional<MonitorReading> last) {}

	/** Readings with nothing waiting before the fleet is lowered: one approximate zero proves little. */
	static final int QUIET_READINGS = 2;

	private final TaskQueue queue;
	private final Fleet fleet;
	private final StateStore store;
	private final MonitorOptions options;
	private final MonitorListener listener;
	private final Runnable teardown;
	private final Ticker ticker;
	private int empty;
	private int quiet;

	/**
	 * @param teardown removes the run's resources; it reports through the listener and throws when it
	 *        could not finish, which leaves the teardown marked as started, to be finished by a rerun
	 */
	public Monitor(TaskQueue queue, Fleet fleet, StateStore store, MonitorOptions options, MonitorListener listener,
		Runnable teardown, Ticker ticker) {
		this.queue = queue;
		this.fleet = fleet;
		this.store = store;
		this.options = options;
		this.listener = listener;
		this.teardown = teardown;
		this.ticker = ticker;
	}

	/** Runs until the run is torn down, by this monitor or by someone else. */
	public Outcome run() {
		StateFile state = store.read();
		Optional<Outcome> finished = ifTornDown(store, state, listener);
		if (finished.isPresent()) return finished.get();
		if (StateKeys.STARTED.equals(state.extra().get(StateKeys.TEARDOWN))) {
			listener.note("an earlier teardown of this run did not finish: finishing it");
			return tearDown(Optional.empty());
		}
		while (true) {
			Optional<MonitorReading> reading = read();
			if (reading.isEmpty()) return new Outcome(Ending.ALREADY_TORN_DOWN, Optional.empty());
			if (reading.get().emptyReadings() >= options.emptyReadings()) return tearDown(reading);
			ticker.sleep(options.interval());
		}
	}

	/** One reading and what follows from it; empty when someone tore the run down meanwhile (cleanup). */
	Optional<MonitorReading> read() {
		StateFile state = store.read();
		if (ifTornDown(store, state, listener).isPresent()) return Optional.empty();
		Instant now = ticker.now();
		QueueCounts counts = queue.counts();
		FleetState machines = fleet.describe();
		MonitorMemory memory = MonitorMemory.of(state, store.location())
			.map(m -> m.next(now, counts, machines.running()))
			.orElseGet(() -> MonitorMemory.first(now, counts, machines.running(), state.startTime()));
		empty = counts.drained() ? empty + 1 : 0;
		quiet = counts.waiting() == 0 ? quiet + 1 : 0;
		MonitorReading reading = new MonitorReading(now, counts.waiting(), counts.inFlight(), counts.dead(),
			memory.done(), memory.total(), memory.elapsed(), machines.target(), machines.running(),
			memory.machineHours(), memory.machineHours() * options.machinePrice(), empty);
		store.write(memory.into(state));
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

	private Outcome tearDown(Optional<MonitorReading> last) {
		last.ifPresent(r -> listener.note("nothing waiting or in flight at " + r.emptyReadings()
			+ " readings in a row: tearing down"));
		store.write(store.read().with(StateKeys.TEARDOWN, StateKeys.STARTED));
		teardown.run();
		store.write(store.read().with(StateKeys.TEARDOWN, StateKeys.DONE_VALUE)
			.with(StateKeys.TEARDOWN_AT, Long.toString(ticker.now().toEpochMilli())));
		listener.note("teardown complete; " + store.location() + " records it");
		return new Outcome(Ending.TORN_DOWN, last);
	}

	/** When the state file says the run was torn down: says so, and the outcome of a monitor on it. */
	public static Optional<Outcome> ifTornDown(StateStore store, StateFile state, MonitorListener listener) {
		if (!isTornDown(state)) return Optional.empty();
		listener.note(alreadyTornDown(store, state));
		return Optional.of(new Outcome(Ending.ALREADY_TORN_DOWN, Optional.empty()));
	}

	public static boolean isTornDown(StateFile state) {
		return StateKeys.DONE_VALUE.equals(state.extra().get(StateKeys.TEARDOWN));
	}

	private static String alreadyTornDown(StateStore store, StateFile state) {
		String at = state.extra().get(StateKeys.TEARDOWN_AT);
		String when = "";
		try {
			if (at != null) when = " at " + Instant.ofEpochMilli(Long.parseLong(at));
		}
		catch (NumberFormatException e) {
			// The time is for people only; a hand-edited value does not change what the file says.
		}
		return "the run of " + state.app() + " in " + store.location() + " was already torn down" + when
			+ ": nothing to do";
	}
}
