package org.parascope.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

import org.parascope.Failures;
import org.parascope.Ticker;
import org.parascope.fleet.Fleet;
import org.parascope.fleet.FleetState;
import org.parascope.monitor.Monitor;
import org.parascope.monitor.MonitorListener;
import org.parascope.monitor.MonitorOptions;
import org.parascope.queue.QueueCounts;
import org.parascope.run.RunState;
import org.parascope.run.RunStateStore;

/**
 * Idle machine time after the queue drains, trace-driven on a simulated clock (nothing sleeps): a
 * job's tasks, with log-normal durations and a few stragglers, run on a fleet of one-task machines
 * that start together. Three ways to end the run, on the same trace:
 * <ul>
 * <li><b>Parascope</b>: the real {@link Monitor} (the class 'parascope monitor' runs), reading the
 * simulated queue and fleet every 60 s; its scale-downs terminate machines as AWS does, chosen by AWS
 * (here: at random), a busy one's task going back to the queue; its teardown ends every machine.
 * <li><b>DCP</b>: Distributed-CellProfiler's monitor (run.py): a reading every 60 s; every 10
 * minutes, if nothing waits, the target drops to the tasks in flight without terminating anything;
 * the teardown at the first reading with nothing waiting or in flight.
 * <li><b>Oracle</b>: each machine stops the moment it has nothing left to do.
 * </ul>
 * In the first two, every machine has the idle alarm (terminated after 15 minutes without a task),
 * and the fleet (type maintain) replaces at once a machine lost while it is below its target.
 *
 * <p>Run: see docs/benchmarks.md. Prints a Markdown table.
 */
public final class IdleTimeBenchmark {

	static final double READING = 60, DCP_LOWER_EVERY = 600, IDLE_ALARM = 900;
	static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	enum Policy { PARASCOPE, DCP, ORACLE }

	/** Task durations in seconds: log-normal around {@code median}, and 0.2 % stragglers 10x longer. */
	static double[] trace(int tasks, double median, long seed) {
		Random random = new Random(seed);
		double[] d = new double[tasks];
		for (int i = 0; i < tasks; i++) {
			d[i] = median * Math.exp(0.6 * random.nextGaussian());
			if (random.nextDouble() < 0.002) d[i] *= 10;
		}
		return d;
	}

	/** One simulated run. Times are seconds from the fleet's start. */
	static final class Sim {
		final double[] durations;
		final Policy policy;
		final Random aws = new Random(7);
		final List<Machine> machines = new ArrayList<>();
		final Deque<Integer> returned = new ArrayDeque<>();
		final PriorityQueue<double[]> events = new PriorityQueue<>((a, b) -> Double.compare(a[0], b[0]));
		final List<double[]> busy = new ArrayList<>(); // start, end of each task run
		int next;
		int alive;
		/** Seconds of work cut short by a termination (its task is done again elsewhere). */
		double lost;
		int target;
		double now;
		/** When the queue first had nothing waiting: the last task was taken. */
		double drained = Double.NaN;
		boolean tornDown;

		final class Machine {
			final int id;
			final double start;
			double end = Double.NaN;
			int task = -1;
			double taskStart;
			double idleSince;

			Machine(int id, double start) {
				this.id = id;
				this.start = start;
			}

			boolean alive() {
				return Double.isNaN(end);
			}
		}

		Sim(double[] durations, int machines, Policy policy) {
			this.durations = durations;
			this.policy = policy;
			this.target = machines;
			for (int i = 0; i < machines; i++) launch();
		}

		long waiting() {
			return durations.length - next + returned.size();
		}

		long inFlight() {
			return machines.stream().filter(m -> m.alive() && m.task >= 0).count();
		}

		int alive() {
			return alive;
		}

		private void launch() {
			Machine m = new Machine(machines.size(), now);
			machines.add(m);
			alive++;
			work(m);
		}

		/** The machine takes the next task, or stays idle (the oracle's machine stops instead). */
		private void work(Machine m) {
			Integer task = !returned.isEmpty() ? returned.poll() : next < durations.length ? Integer.valueOf(next++) : null;
			if (task == null) {
				m.task = -1;
				m.idleSince = now;
				if (policy == Policy.ORACLE) {
					m.end = now;
					alive--;
				}
				else events.add(new double[] { now + IDLE_ALARM, m.id, 1, now });
				return;
			}
			if (waiting() == 0 && Double.isNaN(drained)) drained = now;
			m.task = task;
			m.taskStart = now;
			events.add(new double[] { now + durations[task], m.id, 0, task });
		}

		void terminate(Machine m) {
			if (!m.alive()) return;
			if (m.task >= 0) {
				busy.add(new double[] { m.taskStart, now });
				lost += now - m.taskStart;
				returned.add(m.task); // the worker is stopped; its task comes back to the queue
				m.task = -1;
			}
			m.end = now;
			alive--;
		}

		/** Runs the simulation up to {@code until}. */
		void advance(double until) {
			while (!events.isEmpty() && events.peek()[0] <= until) {
				double[] e = events.poll();
				Machine m = machines.get((int) e[1]);
				if (!m.alive()) continue;
				now = e[0];
				if (e[2] == 0) {
					if (m.task != (int) e[3]) continue;
					busy.add(new double[] { m.taskStart, now });
					work(m);
				}
				else if (m.task < 0 && m.idleSince == e[3]) {
					terminate(m); // the idle alarm
				}
				else {
					continue;
				}
				// A returned task finds an idle machine; a maintain fleet replaces what it lost.
				for (Machine idle : machines) {
					if (returned.isEmpty()) break;
					if (idle.alive() && idle.task < 0) work(idle);
				}
				while (!tornDown && policy != Policy.ORACLE && alive() < target) launch();
			}
			now = Math.max(now, until);
		}

		void scale(int machines, boolean terminateExcess) {
			target = machines;
			if (!terminateExcess) return;
			List<Machine> up = new ArrayList<>(this.machines.stream().filter(Machine::alive).toList());
			while (up.size() > machines) terminate(up.remove(aws.nextInt(up.size())));
			for (Machine idle : this.machines) {
				if (returned.isEmpty()) break;
				if (idle.alive() && idle.task < 0) work(idle);
			}
		}

		void tearDown() {
			tornDown = true;
			machines.forEach(this::terminate);
		}

		Result result() {
			double hours = 0, idleAfter = 0;
			for (Machine m : machines) {
				hours += m.end - m.start;
				idleAfter += Math.max(0, m.end - Math.max(m.start, drained));
			}
			for (double[] b : busy) idleAfter -= Math.max(0, b[1] - Math.max(b[0], drained));
			return new Result(policy, hours / 3600, idleAfter / 60, lost / 60, drained / 3600);
		}
	}

	record Result(Policy policy, double machineHours, double idleMinutesAfterDrain, double lostMinutes, double drainedAtHour) {}

	/** The simulated fleet, as the real monitor sees it through its Fleet port. */
	static Fleet fleet(Sim sim) {
		return new Fleet() {
			@Override
			public void start(int workers) {
				sim.scale(workers, true);
			}

			@Override
			public void scale(int workers) {
				sim.scale(workers, true);
			}

			@Override
			public FleetState describe() {
				return new FleetState(sim.target, sim.alive());
			}

			@Override
			public void stop() {
				sim.tearDown();
			}
		};
	}

	static Result parascope(double[] trace, int machines) {
		Sim sim = new Sim(trace, machines, Policy.PARASCOPE);
		Ticker clock = new Ticker() {
			@Override
			public Instant now() {
				return T0.plusMillis((long) (sim.now * 1000));
			}

			@Override
			public void sleep(Duration d) {
				sim.advance(sim.now + d.toMillis() / 1000.0);
			}
		};
		RunStateStore store = new RunStateStore() {
			private RunState state = new RunState("sfr-sim", "Sim", "SimCluster", "SimQueue", "bucket", "Sim", T0, true, Map.of());

			@Override
			public RunState read() {
				return state;
			}

			@Override
			public boolean exists() {
				return true;
			}

			@Override
			public void write(RunState s) {
				state = s;
			}

			@Override
			public String location() {
				return "(simulated)";
			}
		};
		Fleet fleet = fleet(sim);
		new Monitor(() -> new QueueCounts(sim.waiting(), sim.inFlight(), 0), fleet, store,
			new MonitorOptions(Duration.ofSeconds((long) READING), false, MonitorOptions.DEFAULT_EMPTY_READINGS, 1, 0.1),
			MonitorListener.NONE, sim::tearDown, clock, Failures.CORE).run();
		return sim.result();
	}

	static Result dcp(double[] trace, int machines) {
		Sim sim = new Sim(trace, machines, Policy.DCP);
		for (int reading = 1;; reading++) {
			sim.advance(reading * READING);
			long visible = sim.waiting(), inFlight = sim.inFlight();
			if (visible + inFlight == 0) {
				sim.tearDown();
				return sim.result();
			}
			if (reading * READING % DCP_LOWER_EVERY == 0 && visible == 0 && inFlight < sim.alive()) {
				sim.scale((int) inFlight, false);
			}
		}
	}

	static Result oracle(double[] trace, int machines) {
		Sim sim = new Sim(trace, machines, Policy.ORACLE);
		sim.advance(Double.MAX_VALUE);
		return sim.result();
	}

	public static void main(String[] args) {
		System.out.println("| job | policy | machine-hours | vs oracle | idle machine-minutes after the queue drains "
			+ "| work lost to terminations, machine-minutes |");
		System.out.println("|---|---|---:|---:|---:|---:|");
		for (int[] job : new int[][] { { 10_000, 50 }, { 1_000_000, 1_000 } }) {
			double[] trace = trace(job[0], 300, 42);
			String name = String.format("%,d tasks, %,d machines", job[0], job[1]);
			Result oracle = oracle(trace, job[1]);
			Result dcp = dcp(trace, job[1]);
			Result ours = parascope(trace, job[1]);
			for (Result r : List.of(ours, dcp, oracle)) {
				System.out.printf("| %s | %s | %,.1f | %+.1f %% | %,.0f | %,.0f |%n", name, r.policy(), r.machineHours(),
					100 * (r.machineHours() / oracle.machineHours() - 1), r.idleMinutesAfterDrain(), r.lostMinutes());
			}
			System.out.printf("| %s | DCP / Parascope idle | | | %.1fx | |%n", name,
				dcp.idleMinutesAfterDrain() / Math.max(ours.idleMinutesAfterDrain(), 1e-9));
		}
	}
}
