package org.parascope.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Turns a value as read (from config.py, YAML, JSON, the environment or code) into the key's type.
 * Raw values are String, Long, Integer, Double, Boolean, List, Map (from YAML/JSON, always
 * rejected) or null (Python's None). Strings are
 * parsed by the key's type everywhere, because DCP's files write booleans as 'True' and because
 * environment variables are only strings.
 */
final class Values {

	/** A value that does not fit its key; the message reads "expected an integer, got 'four'". */
	static final class BadValue extends Exception {
		BadValue(String message) {
			super(message);
		}
	}

	private Values() {}

	/** The value in the key's type, or empty when it means "not set" (None, or 'False' where DCP used it so). */
	static Optional<Object> convert(ConfigKey key, Object raw) throws BadValue {
		if (raw == null || key.falseMeansUnset() && meansFalse(raw)) return Optional.empty();
		return Optional.of(switch (key.type()) {
			case STRING -> string(key, raw);
			case INTEGER -> integer(key, raw);
			case DECIMAL -> decimal(key, raw);
			case BOOLEAN -> bool(key, raw);
			case LIST -> list(key, raw);
		});
	}

	/** Python's notation of a raw value, as users wrote it: 'text', 3, 0.2, True, ['a']. */
	static String repr(Object raw) {
		if (raw == null) return "None";
		if (raw instanceof String s) return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
		if (raw instanceof Boolean b) return b ? "True" : "False";
		if (raw instanceof List<?> l) return l.stream().map(Values::repr).collect(Collectors.joining(", ", "[", "]"));
		if (raw instanceof Map<?, ?> m) {
			return m.entrySet().stream().map(e -> repr(e.getKey()) + ": " + repr(e.getValue()))
				.collect(Collectors.joining(", ", "{", "}"));
		}
		return raw.toString();
	}

	/** A typed value as an environment variable would give it, so that {@link #convert} reads it back. */
	static String toText(Object typed) {
		if (typed instanceof Boolean b) return b ? "True" : "False";
		if (typed instanceof List<?> l) return l.stream().map(String::valueOf).collect(Collectors.joining(","));
		return typed.toString();
	}

	private static boolean meansFalse(Object raw) {
		return Boolean.FALSE.equals(raw) || raw instanceof String s && (s.isEmpty() || s.equalsIgnoreCase("false"));
	}

	private static String string(ConfigKey key, Object raw) throws BadValue {
		if (!(raw instanceof String s)) throw bad(key, raw);
		// DCP accepted the dead-letter queue's ARN and used the part after the last ':'.
		return key == ConfigKey.SQS_DEAD_LETTER_QUEUE ? s.substring(s.lastIndexOf(':') + 1) : s;
	}

	private static int integer(ConfigKey key, Object raw) throws BadValue {
		long value;
		if (raw instanceof Integer || raw instanceof Long) {
			value = ((Number) raw).longValue();
		} else if (raw instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e18) {
			value = d.longValue(); // Python's '/' always gives a float: 120/2 is 60.0
		} else if (raw instanceof String s) {
			try {
				value = Long.parseLong(s.strip());
			} catch (NumberFormatException e) {
				throw bad(key, raw);
			}
		} else {
			throw bad(key, raw);
		}
		if (value < key.minimum()) throw new BadValue("must be at least " + key.minimum() + ", got " + value
			+ (key.whyMinimum() == null ? "" : ": " + key.whyMinimum()));
		if (value > key.maximum()) throw new BadValue("must be at most " + key.maximum() + ", got " + value);
		return (int) value;
	}

	private static double decimal(ConfigKey key, Object raw) throws BadValue {
		double value;
		if (raw instanceof Integer || raw instanceof Long || raw instanceof Double) {
			value = ((Number) raw).doubleValue();
		} else if (raw instanceof String s) {
			try {
				value = Double.parseDouble(s.strip());
			} catch (NumberFormatException e) {
				throw bad(key, raw);
			}
		} else {
			throw bad(key, raw);
		}
		if (!Double.isFinite(value)) throw bad(key, raw);
		return value;
	}

	private static boolean bool(ConfigKey key, Object raw) throws BadValue {
		if (raw instanceof Boolean b) return b;
		if (raw instanceof String s && s.strip().equalsIgnoreCase("true")) return true;
		if (raw instanceof String s && s.strip().equalsIgnoreCase("false")) return false;
		throw bad(key, raw);
	}

	/**
	 * A list, or one string: 'm5.xlarge' alone, comma-separated (as environment variables give it), or
	 * written like a Python list, "['m5.xlarge', 'c5.xlarge']", as users copy it from config.py.
	 */
	private static List<String> list(ConfigKey key, Object raw) throws BadValue {
		List<String> items = new ArrayList<>();
		if (raw instanceof List<?> list) {
			for (Object item : list) {
				if (!(item instanceof String s)) throw bad(key, raw);
				items.add(s);
			}
		} else if (raw instanceof String s) {
			String text = s.strip();
			if (text.startsWith("[") && text.endsWith("]")) text = text.substring(1, text.length() - 1);
			for (String item : text.split(",")) {
				String value = unquote(item.strip());
				if (!value.isEmpty()) items.add(value);
			}
		} else {
			throw bad(key, raw);
		}
		if (items.isEmpty()) throw new BadValue("expected at least one value, got " + repr(raw));
		return List.copyOf(items);
	}

	private static String unquote(String s) {
		boolean quoted = s.length() >= 2 && (s.charAt(0) == '\'' || s.charAt(0) == '"')
			&& s.charAt(s.length() - 1) == s.charAt(0);
		return quoted ? s.substring(1, s.length() - 1) : s;
	}

	private static BadValue bad(ConfigKey key, Object raw) {
		return new BadValue("expected " + key.type().noun() + ", got " + repr(raw));
	}
}
