package org.parascope.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

import org.parascope.config.Config;
import org.parascope.config.ConfigKey;
import org.parascope.machines.MachineRecord;
import org.parascope.report.RunFigures.Cost;
import org.parascope.report.RunFigures.MachineCost;
import org.parascope.report.RunFigures.Option;
import org.parascope.report.RunFigures.RightSizing;
import org.parascope.report.RunFigures.TypeCost;

/** A run's figures, priced: the cost and the right-sizing (docs/trace.md). */
public final class RunReport {

	/** Memory and CPU above the observed peaks that a right-sized setting keeps free. */
	static final double HEADROOM = 1.25;
	/** Memory of a machine that ECS and the system keep for themselves, MiB. */
	static final long MACHINE_RESERVED_MIB = 1024;
	/** Types always compared, beyond MACHINE_TYPE: common general, compute and memory types. */
	static final List<String> CANDIDATES = List.of("m5.large", "m5.xlarge", "m5.2xlarge", "m5.4xlarge", "c5.large",
		"c5.xlarge", "c5.2xlarge", "c5.4xlarge", "r5.large", "r5.xlarge", "r5.2xlarge", "m6i.xlarge", "m6i.2xlarge",
		"c6i.xlarge", "c6i.2xlarge", "r6i.xlarge", "m7i.xlarge", "c7i.xlarge");

	/** The settings a report compares against. */
	public record Settings(double machinePrice, List<String> machineTypes, int dockerCores, int tasksPerMachine,
		long memoryMiB) {

		public static Settings of(Config config) {
			return new Settings(config.decimal(ConfigKey.MACHINE_PRICE), config.list(ConfigKey.MACHINE_TYPE),
				config.integer(ConfigKey.DOCKER_CORES), config.integer(ConfigKey.TASKS_PER_MACHINE),
				config.integer(ConfigKey.MEMORY));
		}
	}

	/**
	 * The machines the run's monitors recorded (docs/trace.md, "Machines"), priced over their lifetimes from
	 * {@code from} on; without any, the machines the trace names are priced instead.
	 */
	public record Fleet(List<MachineRecord> machines, Instant from) {
		public static final Fleet NONE = new Fleet(List.of(), null);
	}

	private RunReport() {}

	/**
	 * @param logsCommand the command that prints a task's log, to which its label is added; null for a local run
	 * @param prices      empty for a local run, or when EC2 cannot be asked
	 */
	public static RunFigures figures(String title, String source, FiguresBuilder tries, long expectedTasks,
		String logsCommand, Settings settings, Optional<SpotPrices> prices, Fleet fleet, List<String> notes) {
		FiguresBuilder.Parts parts = tries.build(expectedTasks, logsCommand);
		List<String> said = new ArrayList<>(notes);
		Cost cost = fleet.machines().isEmpty() ? traceCost(parts, settings, prices, said) : fleetCost(fleet, settings, prices, said);
		RightSizing sizing = rightSizing(parts, settings, cost, prices, said);
		return new RunFigures(title, source, Instant.now(), parts.summary(), parts.binMillis(), parts.timeline(),
			parts.gantt(), parts.durations(), parts.failures(), cost, sizing, List.copyOf(said));
	}

	/** Each machine the monitor recorded, from its launch (or {@code from}) to its end (or last sighting). */
	private static Cost fleetCost(Fleet fleet, Settings settings, Optional<SpotPrices> prices, List<String> notes) {
		List<MachineCost> machines = new ArrayList<>();
		int onDemand = 0, unpriced = 0, open = 0;
		for (MachineRecord m : fleet.machines()) {
			Instant start = fleet.from() != null && m.launch().isBefore(fleet.from()) ? fleet.from() : m.launch();
			Instant end = m.end() != null ? m.end() : m.lastSeen();
			if (end.isBefore(start)) end = start;
			if (m.end() == null) open++;
			Double usd = null;
			if (!m.isSpot()) onDemand++;
			else usd = price(prices, m.instanceType(), m.zone(), start, end, notes);
			if (m.isSpot() && usd == null) unpriced++;
			machines.add(new MachineCost(m.instanceId(), m.instanceType(), m.zone(), m.lifecycle(), start, end, m.end() != null,
				hours(start, end), usd));
		}
		int spot = machines.size() - onDemand;
		List<String> said = new ArrayList<>();
		if (prices.isEmpty()) said.add("not priced: EC2 could not be asked");
		else said.add((spot - unpriced) + " of " + spot + " spot machine(s) priced from the spot price history"
			+ (unpriced == 0 ? "" : " (the others: type or zone unknown, or no price in the history)"));
		if (onDemand > 0) {
			said.add(onDemand + " on-demand machine(s) not priced: the spot price history does not apply to them, and "
				+ "MACHINE_PRICE does not bound what they cost (EC2's on-demand rate)");
		}
		if (open > 0) said.add(open + " machine(s) whose end no monitor saw: priced up to their last sighting");
		double total = machines.stream().mapToDouble(MachineCost::hours).sum();
		Double spotCost = prices.isEmpty() || spot == unpriced ? null
			: machines.stream().filter(m -> m.spotCost() != null).mapToDouble(MachineCost::spotCost).sum();
		return new Cost(total, settings.machinePrice(), total * settings.machinePrice(), spotCost, String.join("; ", said),
			"the monitor's record of the fleet's machines: each from its launch to the first reading that no longer "
				+ "listed it (or the teardown)", types(machines), machines);
	}

	private static Double price(Optional<SpotPrices> prices, String type, String zone, Instant start, Instant end,
		List<String> notes) {
		if (prices.isEmpty() || type == null || zone == null) return null;
		try {
			OptionalDouble c = prices.get().cost(type, zone, start, end);
			return c.isPresent() ? c.getAsDouble() : null;
		}
		catch (RuntimeException e) {
			notes.add("spot price history of " + type + " in " + zone + ": " + e.getMessage());
			return null;
		}
	}

	/** The machines per type and lifecycle, most hours first. */
	private static List<TypeCost> types(List<MachineCost> machines) {
		Map<List<String>, List<MachineCost>> groups = new LinkedHashMap<>();
		for (MachineCost m : machines) {
			groups.computeIfAbsent(java.util.Arrays.asList(m.instanceType(), m.lifecycle()), k -> new ArrayList<>()).add(m);
		}
		List<TypeCost> types = new ArrayList<>();
		groups.forEach((k, ms) -> {
			List<MachineCost> priced = ms.stream().filter(m -> m.spotCost() != null).toList();
			types.add(new TypeCost(k.get(0), k.get(1), ms.size(), ms.stream().mapToDouble(MachineCost::hours).sum(),
				priced.size(), priced.isEmpty() ? null : priced.stream().mapToDouble(MachineCost::spotCost).sum()));
		});
		types.sort(Comparator.comparingDouble(TypeCost::hours).reversed());
		return types;
	}

	private static double hours(Instant a, Instant b) {
		return Duration.between(a, b).toMillis() / 3_600_000.0;
	}

	/** Without the monitor's record: the machines the trace names, each from its first try to its last. */
	private static Cost traceCost(FiguresBuilder.Parts parts, Settings settings, Optional<SpotPrices> prices, List<String> notes) {
		List<MachineCost> machines = new ArrayList<>();
		double hours = 0, spot = 0;
		int unpriced = 0, unknown = 0;
		for (FiguresBuilder.Machine m : parts.machines()) {
			Instant start = Instant.ofEpochMilli(m.first()), end = Instant.ofEpochMilli(m.last());
			double h = hours(start, end);
			hours += h;
			Double usd = price(prices, m.instanceType(), m.zone(), start, end, notes);
			if (m.instanceType() == null || m.zone() == null) unknown++;
			if (usd == null) unpriced++;
			else spot += usd;
			machines.add(new MachineCost(m.id(), m.instanceType(), m.zone(), null, start, end, true, h, usd));
		}
		String note;
		Double spotCost = null;
		if (prices.isEmpty()) note = "not priced: a local run, or EC2 could not be asked";
		else if (machines.isEmpty()) note = "no machines in the trace";
		else if (unpriced == machines.size()) note = "not priced: " + (unknown == machines.size()
			? "no machine's type and zone are known (workers read them from the instance metadata service, which the "
				+ "fleet's containers cannot reach, and no monitor recorded the fleet's machines, docs/trace.md)"
			: "the spot price history has no price for the machines' types and zones");
		else {
			spotCost = spot;
			note = unpriced == 0 ? "every machine priced from the spot price history"
				: unpriced + " of " + machines.size() + " machines not priced (" + unknown + " of unknown type or zone, the "
					+ "others without a price in the history)";
		}
		return new Cost(hours, settings.machinePrice(), hours * settings.machinePrice(), spotCost, note,
			"the trace: each machine from its first try's start to its last try's end", types(machines), machines);
	}

	private static RightSizing rightSizing(FiguresBuilder.Parts parts, Settings settings, Cost cost,
		Optional<SpotPrices> prices, List<String> notes) {
		double memory = parts.summary().peakMemoryMiB();
		// Tries too short to measure leave no CPU figure; one core each is DCP's rule of thumb.
		double cores = parts.coresP95() > 0 ? parts.coresP95() : 1;
		double engineHours = parts.summary().engineSeconds() / 3600;
		if (prices.isEmpty() || memory <= 0) {
			return new RightSizing(memory, parts.coresP95(), HEADROOM, null, List.of(), prices.isEmpty()
				? "needs the spot price history (AWS): each try needs about " + fmt(cores * HEADROOM) + " cores and "
					+ Math.round(memory * HEADROOM) + " MiB with headroom, so MEMORY >= DOCKER_CORES x " + Math.round(memory * HEADROOM)
				: "no memory was measured");
		}
		Set<String> types = new LinkedHashSet<>(settings.machineTypes());
		types.addAll(CANDIDATES);
		Map<String, Double> latest;
		Map<String, SpotPrices.Spec> specs;
		try {
			latest = prices.get().latest(types);
			specs = prices.get().specs(types);
		}
		catch (RuntimeException e) {
			notes.add("right-sizing: " + e.getMessage());
			return new RightSizing(memory, parts.coresP95(), HEADROOM, null, List.of(), "EC2 could not be asked: " + e.getMessage());
		}
		List<Option> options = new ArrayList<>();
		for (String type : types) {
			SpotPrices.Spec spec = specs.get(type);
			Double price = latest.get(type);
			if (spec == null || price == null) continue;
			long usable = spec.memoryMiB() - MACHINE_RESERVED_MIB;
			int fit = (int) Math.min(Math.floor(spec.vcpus() / (cores * HEADROOM)), Math.floor(usable / (memory * HEADROOM)));
			if (fit < 1) continue;
			double machineHours = engineHours / fit;
			options.add(new Option(type, spec.vcpus(), spec.memoryMiB(), fit, 1, usable, price, machineHours, machineHours * price));
		}
		options.sort(Comparator.comparingDouble(Option::cost).thenComparing(Option::instanceType));
		String currentType = mostUsedType(cost).orElse(settings.machineTypes().isEmpty() ? null : settings.machineTypes().get(0));
		Option current = null;
		if (currentType != null && specs.containsKey(currentType) && latest.containsKey(currentType)) {
			SpotPrices.Spec spec = specs.get(currentType);
			int perMachine = settings.dockerCores() * settings.tasksPerMachine();
			double machineHours = engineHours / perMachine;
			current = new Option(currentType, spec.vcpus(), spec.memoryMiB(), settings.dockerCores(), settings.tasksPerMachine(),
				settings.memoryMiB(), latest.get(currentType), machineHours, machineHours * latest.get(currentType));
		}
		String note = "tries need " + fmt(cores) + " cores (95th percentile) and " + Math.round(memory) + " MiB (peak); sized with "
			+ Math.round((HEADROOM - 1) * 100) + " % headroom, machines kept busy, priced at the latest spot price";
		return new RightSizing(memory, parts.coresP95(), HEADROOM, current, options.subList(0, Math.min(8, options.size())), note);
	}

	private static Optional<String> mostUsedType(Cost cost) {
		Map<String, Double> hours = new LinkedHashMap<>();
		for (MachineCost m : cost.machines()) if (m.instanceType() != null) hours.merge(m.instanceType(), m.hours(), Double::sum);
		return hours.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey);
	}

	static String fmt(double v) {
		return String.format(java.util.Locale.ROOT, "%.2f", v);
	}
}
