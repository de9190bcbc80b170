package org.parascope.job.make;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;

/**
 * How Python reads and writes the values that Distributed-CellProfiler's scripts and CellProfiler's
 * LoadData pass around: {@code int(text)}, {@code float(text)}, {@code repr(float)} and
 * {@code json.dumps} of a dict of strings. Parascope must give the same texts, byte for byte, for
 * messages to be the ones those programs send and groups the ones CellProfiler forms (docs/jobs.md).
 */
final class PythonText {

	private PythonText() {}

	/** Python's {@code int(text)}: surrounding whitespace, a sign, decimal digits (any script's) and '_' between digits. */
	static Optional<BigInteger> parseInt(String text) {
		String s = text.strip();
		int at = 0;
		boolean negative = false;
		if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
			negative = s.charAt(0) == '-';
			at = 1;
		}
		String digits = digits(s.substring(at));
		if (digits == null) return Optional.empty();
		BigInteger value = new BigInteger(digits);
		return Optional.of(negative ? value.negate() : value);
	}

	/** Python's {@code float(text)}, as a double; empty when Python would raise ValueError. */
	static Optional<Double> parseFloat(String text) {
		String s = text.strip();
		String sign = "";
		if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
			sign = s.substring(0, 1);
			s = s.substring(1);
		}
		String lower = s.toLowerCase(java.util.Locale.ROOT);
		if (lower.equals("nan")) return Optional.of(Double.NaN);
		if (lower.equals("inf") || lower.equals("infinity")) return Optional.of(sign.equals("-") ? Double.NEGATIVE_INFINITY
			: Double.POSITIVE_INFINITY);
		int e = Math.max(lower.indexOf('e'), -1);
		String mantissa = e < 0 ? s : s.substring(0, e);
		String exponent = e < 0 ? null : s.substring(e + 1);
		int dot = mantissa.indexOf('.');
		String whole = dot < 0 ? mantissa : mantissa.substring(0, dot);
		String fraction = dot < 0 ? "" : mantissa.substring(dot + 1);
		String wholeDigits = whole.isEmpty() ? "" : digits(whole);
		String fractionDigits = fraction.isEmpty() ? "" : digits(fraction);
		if (wholeDigits == null || fractionDigits == null || wholeDigits.isEmpty() && fractionDigits.isEmpty()) return Optional.empty();
		StringBuilder number = new StringBuilder(wholeDigits.isEmpty() ? "0" : wholeDigits);
		if (!fractionDigits.isEmpty()) number.append('.').append(fractionDigits);
		if (exponent != null) {
			String expSign = "";
			if (!exponent.isEmpty() && (exponent.charAt(0) == '+' || exponent.charAt(0) == '-')) {
				expSign = exponent.substring(0, 1);
				exponent = exponent.substring(1);
			}
			String expDigits = exponent.isEmpty() ? null : digits(exponent);
			if (expDigits == null) return Optional.empty();
			number.append('e').append(expSign).append(expDigits);
		}
		double magnitude = new BigDecimal(number.toString()).doubleValue();
		// Negated as a double, so that "-0" is Python's -0.0 (a BigDecimal has no negative zero).
		return Optional.of(sign.equals("-") ? -magnitude : magnitude);
	}

	/** ASCII digits of a run of decimal digits with single '_' between them, else null. */
	private static String digits(String s) {
		if (s.isEmpty() || s.charAt(0) == '_' || s.charAt(s.length() - 1) == '_') return null;
		StringBuilder out = new StringBuilder(s.length());
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			if (c == '_') {
				if (s.charAt(i - 1) == '_') return null;
				continue;
			}
			int d = Character.digit(c, 10);
			if (d < 0 || Character.getType(c) != Character.DECIMAL_DIGIT_NUMBER) return null;
			out.append((char) ('0' + d));
		}
		return out.toString();
	}

	/**
	 * Python's {@code repr(float)} (and numpy's {@code str(float64)}): the shortest digits that read back
	 * to the same double, fixed notation for decimal exponents -4 to 15, else {@code 1e+16} style.
	 */
	static String repr(double value) {
		if (Double.isNaN(value)) return "nan";
		if (Double.isInfinite(value)) return value > 0 ? "inf" : "-inf";
		if (value == 0) return (1 / value < 0) ? "-0.0" : "0.0";
		// Java 17's Double.toString gives the shortest round-tripping digits for all but rare values.
		BigDecimal exact = new BigDecimal(Double.toString(value)).stripTrailingZeros();
		String digits = exact.unscaledValue().abs().toString();
		int exponent = digits.length() - 1 - exact.scale(); // of the first digit
		String sign = value < 0 ? "-" : "";
		if (exponent >= -4 && exponent < 16) {
			String plain = exact.abs().toPlainString();
			return sign + (plain.contains(".") ? plain : plain + ".0");
		}
		String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
		String exp = Integer.toString(Math.abs(exponent));
		return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (exp.length() < 2 ? "0" + exp : exp);
	}

	/** {@code json.dumps(dict)} of strings with Python's defaults: ", " and ": ", every non-ASCII character escaped. */
	static String jsonDumps(Map<String, String> values) {
		StringBuilder json = new StringBuilder(256).append('{');
		for (Map.Entry<String, String> e : values.entrySet()) {
			if (json.length() > 1) json.append(", ");
			quote(json, e.getKey());
			json.append(": ");
			quote(json, e.getValue());
		}
		return json.append('}').toString();
	}

	private static void quote(StringBuilder json, String text) {
		json.append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '"' -> json.append("\\\"");
				case '\\' -> json.append("\\\\");
				case '\n' -> json.append("\\n");
				case '\r' -> json.append("\\r");
				case '\t' -> json.append("\\t");
				case '\b' -> json.append("\\b");
				case '\f' -> json.append("\\f");
				default -> {
					// ensure_ascii: anything outside ' '..'~' as \\uXXXX (UTF-16 units, as Python writes surrogate pairs)
					if (c < ' ' || c > '~') json.append(String.format("\\u%04x", (int) c));
					else json.append(c);
				}
			}
		}
		json.append('"');
	}
}
