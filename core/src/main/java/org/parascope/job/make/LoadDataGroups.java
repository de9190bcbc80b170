package org.parascope.job.make;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.parascope.ParascopeException;

/**
 * The groups CellProfiler's LoadData forms from a CSV when it groups by metadata columns, with the
 * values {@code cellprofiler -g} must name to run one of them, in CellProfiler's order. A column
 * whose every value reads as a 32-bit integer holds integers (so "01" is "1"); else, if every value
 * reads as a number, floats ("2" is "2.0"); else text as written. Well-column metadata
 * (Metadata_Column, Metadata_Col ...) is always text. Groups are sorted by their values as text,
 * column by column. docs/jobs.md, "Jobs from a LoadData CSV".
 */
public final class LoadDataGroups {

	private enum Type { INTEGER, FLOAT, TEXT }

	private static final Set<String> WELL_COLUMN_TOKENS = Set.of("wellcol", "well_col", "wellcolumn", "well_column", "column", "col");
	private static final BigInteger INT32_MIN = BigInteger.valueOf(Integer.MIN_VALUE), INT32_MAX = BigInteger.valueOf(Integer.MAX_VALUE);

	private LoadDataGroups() {}

	/** "Plate" and "Metadata_Plate" both name the column Metadata_Plate, as in LoadData's setting. */
	public static List<String> columns(List<String> groupBy) {
		return groupBy.stream().map(String::strip).filter(s -> !s.isEmpty())
			.map(s -> s.startsWith("Metadata_") ? s : "Metadata_" + s).toList();
	}

	/** Each group's metadata (the grouping columns in the order given, values as CellProfiler names them). */
	public static List<Map<String, String>> read(Path csv, List<String> groupBy) {
		List<String> keys = columns(groupBy);
		if (keys.isEmpty()) throw new ParascopeException("--group-by: name the metadata to group by, e.g. Metadata_Plate,Metadata_Well");
		String name = String.valueOf(csv.getFileName());
		try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
			CsvRecords records = new CsvRecords(in);
			List<String> header = records.next();
			if (header == null) throw new ParascopeException(name + ": empty file: LoadData needs a header line");
			int[] at = new int[keys.size()];
			List<String> absent = new ArrayList<>();
			for (int k = 0; k < keys.size(); k++) {
				at[k] = header.indexOf(keys.get(k));
				if (at[k] < 0) absent.add(keys.get(k));
			}
			if (!absent.isEmpty()) throw new ParascopeException(name + ": no column " + String.join(", ", absent) + " (its metadata "
				+ "columns: " + String.join(", ", header.stream().filter(h -> h.startsWith("Metadata_")).toList()) + ")");
			Type[] types = new Type[keys.size()];
			for (int k = 0; k < keys.size(); k++) {
				String[] parts = keys.get(k).split("_", -1);
				types[k] = parts.length > 1 && WELL_COLUMN_TOKENS.contains(parts[1].toLowerCase(java.util.Locale.ROOT)) ? Type.TEXT : Type.INTEGER;
			}
			// The distinct raw value tuples: types are known only after the last row, and "01" and "1" may merge.
			Set<List<String>> raw = new LinkedHashSet<>();
			List<String> problems = new ArrayList<>();
			for (List<String> row = records.next(); row != null; row = records.next()) {
				if (row.isEmpty()) continue;
				if (row.size() < header.size()) {
					problems.add(name + ": line " + records.line() + ": " + row.size() + " fields, expected " + header.size());
					continue;
				}
				List<String> values = new ArrayList<>(keys.size());
				for (int k = 0; k < keys.size(); k++) {
					String value = row.get(at[k]);
					values.add(value);
					types[k] = widen(types[k], value);
				}
				raw.add(values);
			}
			if (!problems.isEmpty()) throw new ParascopeException(String.join("\n", problems));
			if (raw.isEmpty()) throw new ParascopeException(name + ": no rows: LoadData would find no image sets");
			// Sorted as CellProfiler sorts its groups: by the values' texts, in code point order.
			TreeMap<List<String>, Boolean> groups = new TreeMap<>(LoadDataGroups::compare);
			for (List<String> values : raw) {
				List<String> texts = new ArrayList<>(values.size());
				for (int k = 0; k < values.size(); k++) texts.add(text(types[k], values.get(k)));
				groups.put(texts, true);
			}
			List<Map<String, String>> result = new ArrayList<>(groups.size());
			for (List<String> texts : groups.keySet()) {
				Map<String, String> metadata = new LinkedHashMap<>();
				for (int k = 0; k < keys.size(); k++) metadata.put(keys.get(k), texts.get(k));
				result.add(metadata);
			}
			return result;
		}
		catch (NoSuchFileException e) {
			throw new ParascopeException(name + ": no such file: " + csv.toAbsolutePath());
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot read " + csv, e);
		}
	}

	/** LoadData's column type rule: integer until a value is not one, then float until a value is no number. */
	private static Type widen(Type type, String value) {
		if (type == Type.TEXT) return type;
		Type own = typeOf(value);
		if (type == Type.INTEGER) return own;
		return own == Type.TEXT ? Type.TEXT : Type.FLOAT;
	}

	private static Type typeOf(String value) {
		Optional<BigInteger> integer = PythonText.parseInt(value);
		if (integer.isPresent()) {
			// Beyond 32 bits LoadData stores text.
			return integer.get().compareTo(INT32_MIN) < 0 || integer.get().compareTo(INT32_MAX) > 0 ? Type.TEXT : Type.INTEGER;
		}
		return PythonText.parseFloat(value).isPresent() ? Type.FLOAT : Type.TEXT;
	}

	private static String text(Type type, String value) {
		return switch (type) {
			case INTEGER -> PythonText.parseInt(value).orElseThrow().toString();
			case FLOAT -> PythonText.repr(PythonText.parseFloat(value).orElseThrow());
			case TEXT -> value;
		};
	}

	private static int compare(List<String> a, List<String> b) {
		for (int i = 0; i < a.size(); i++) {
			int c = compareCodePoints(a.get(i), b.get(i));
			if (c != 0) return c;
		}
		return 0;
	}

	private static int compareCodePoints(String a, String b) {
		int i = 0, j = 0;
		while (i < a.length() && j < b.length()) {
			int ca = a.codePointAt(i), cb = b.codePointAt(j);
			if (ca != cb) return Integer.compare(ca, cb);
			i += Character.charCount(ca);
			j += Character.charCount(cb);
		}
		return Integer.compare(a.length() - i, b.length() - j);
	}
}
