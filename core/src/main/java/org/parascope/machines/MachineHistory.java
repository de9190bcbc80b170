package org.parascope.machines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.parascope.store.ObjectStore;

/** Reads the machines a run's monitors recorded (docs/trace.md, "Machines"). */
public final class MachineHistory {

	private MachineHistory() {}

	/**
	 * The machines of every fleet of {@code app} that ran at some time from {@code from} on (all when null);
	 * lines that are not records are left out and said in {@code notes}.
	 */
	public static List<MachineRecord> since(ObjectStore store, String app, Instant from, List<String> notes) {
		List<String> keys;
		try (Stream<org.parascope.store.StoredObject> listing = store.list(MachinePlace.prefix(app))) {
			keys = listing.map(o -> o.key()).filter(k -> k.endsWith(".jsonl")).sorted().toList();
		}
		return read(store, keys, notes).stream()
			.filter(m -> from == null || (m.end() != null ? m.end() : m.lastSeen()).isAfter(from)).toList();
	}

	static List<MachineRecord> read(ObjectStore store, List<String> keys, List<String> notes) {
		List<MachineRecord> all = new ArrayList<>();
		for (String key : keys) {
			Path temp = null;
			try {
				temp = Files.createTempFile("parascope-machines-", ".jsonl");
				store.get(key, temp);
				int n = 0;
				List<String> bad = new ArrayList<>();
				for (String line : Files.readAllLines(temp, StandardCharsets.UTF_8)) {
					n++;
					if (line.isBlank()) continue;
					try {
						all.add(MachineRecord.parse(line));
					}
					catch (IllegalArgumentException e) {
						if (bad.size() < 3) bad.add("line " + n + ": " + e.getMessage());
						else if (bad.size() == 3) bad.add("...");
					}
				}
				if (!bad.isEmpty()) {
					notes.add(store.location() + "/" + key + ": lines that are not machine records were left out: "
						+ String.join("; ", bad));
				}
			}
			catch (IOException e) {
				throw new UncheckedIOException(e);
			}
			finally {
				if (temp != null) temp.toFile().delete();
			}
		}
		return MachineLog.distinct(all);
	}
}
