package org.parascope.machines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.parascope.store.ObjectStore;

/**
 * The machines of one fleet as a monitor sees them, reading after reading, kept in
 * {@link MachinePlace#key} (docs/trace.md). The object is rewritten whole (S3 has no append; a fleet's
 * record is a few hundred lines at most) when a machine comes or goes, and otherwise every
 * {@link #REFRESH} so that a machine whose end no monitor saw is priced up to its last sighting. A monitor
 * restarted on the same fleet carries on from the stored record.
 */
public final class MachineLog {

	/** How stale a running machine's {@code lastSeen} may get in the store. */
	public static final Duration REFRESH = Duration.ofMinutes(10);

	/** What EC2 says of a machine not seen before. */
	public record Found(String instanceId, String instanceType, String zone, String lifecycle, Instant launch) {}

	private final ObjectStore store;
	private final String key;
	private final Map<String, MachineRecord> machines = new LinkedHashMap<>();
	private Instant written;
	private boolean changed;

	private MachineLog(ObjectStore store, String key) {
		this.store = store;
		this.key = key;
	}

	/** The log of {@code fleetId}, with what an earlier monitor of it recorded. */
	public static MachineLog open(ObjectStore store, String app, String fleetId, List<String> notes) {
		MachineLog log = new MachineLog(store, MachinePlace.key(app, fleetId));
		if (store.exists(log.key)) {
			for (MachineRecord r : MachineHistory.read(store, List.of(log.key), notes)) log.machines.put(r.instanceId(), r);
		}
		return log;
	}

	/** Where the record is. */
	public String location() {
		return store.location() + "/" + key;
	}

	/**
	 * One reading: {@code present} are the fleet's machines now; {@code describe} tells what EC2 knows of
	 * those not seen before (machines it no longer knows may be left out). Machines recorded as running that
	 * are not present have ended now. Writes the record when it changed, or every {@link #REFRESH}.
	 */
	public synchronized void reading(Instant now, Collection<String> present, Function<Collection<String>, List<Found>> describe) {
		List<String> fresh = present.stream().filter(id -> !machines.containsKey(id)).toList();
		if (!fresh.isEmpty()) {
			for (Found f : describe.apply(fresh)) {
				machines.put(f.instanceId(), new MachineRecord(f.instanceId(), f.instanceType(), f.zone(), f.lifecycle(),
					f.launch() == null ? now : f.launch(), now, now, null));
				changed = true;
			}
		}
		Set<String> here = Set.copyOf(present);
		for (MachineRecord r : List.copyOf(machines.values())) {
			if (r.end() != null) continue;
			if (here.contains(r.instanceId())) machines.put(r.instanceId(), r.seen(now));
			else {
				machines.put(r.instanceId(), r.ended(now));
				changed = true;
			}
		}
		if (changed || written == null || !now.isBefore(written.plus(REFRESH))) write(now);
	}

	/** The fleet is gone (the teardown): every machine still running ends now, and the record is written. */
	public synchronized void endAll(Instant now) {
		for (MachineRecord r : List.copyOf(machines.values())) {
			if (r.end() == null) {
				machines.put(r.instanceId(), r.seen(now).ended(now));
				changed = true;
			}
		}
		if (changed) write(now);
	}

	public synchronized List<MachineRecord> machines() {
		return List.copyOf(machines.values());
	}

	private void write(Instant now) {
		StringBuilder lines = new StringBuilder();
		for (MachineRecord r : machines.values()) lines.append(r.toJson()).append('\n');
		Path temp = null;
		try {
			temp = Files.createTempFile("parascope-machines-", ".jsonl");
			Files.writeString(temp, lines, StandardCharsets.UTF_8);
			store.put(key, temp);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		finally {
			if (temp != null) temp.toFile().delete();
		}
		written = now;
		changed = false;
	}

	/** The records as {@link MachineHistory} reads them back: one per machine. */
	static List<MachineRecord> distinct(List<MachineRecord> records) {
		Map<String, MachineRecord> byId = new LinkedHashMap<>();
		for (MachineRecord r : records) byId.put(r.instanceId(), r);
		return new ArrayList<>(byId.values());
	}
}
