package org.parascope.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.parascope.config.PythonTokenizer.Kind;
import org.parascope.config.PythonTokenizer.Token;

/**
 * Reads a Distributed-CellProfiler / Distributed-Fiji config.py without running Python: the
 * {@code NAME = expression} assignments those files are made of, with string, number, True/False/None
 * and list literals, + - * / // %, parentheses and names assigned earlier. Anything else is an error
 * naming its line rather than being skipped, since Python would have given the file another meaning.
 */
final class PythonConfigReader {

	private static final Set<String> KEYWORDS = Set.of("and", "as", "assert", "async", "await", "break", "class",
		"continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in",
		"is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield");

	private final List<Token> tokens;
	private final String where;
	private int next;
	/** Every name assigned so far, in order of first assignment, with its latest value (null for None). */
	private final Map<String, Object> values = new LinkedHashMap<>();
	private final Map<String, Integer> lines = new LinkedHashMap<>();
	private final Set<String> referenced = new HashSet<>();

	private PythonConfigReader(List<Token> tokens, String where) {
		this.tokens = tokens;
		this.where = where;
	}

	/** The settings {@code text} assigns; {@code where} names the file in error messages. */
	static List<ConfigEntry> read(String text, String where) {
		return new PythonConfigReader(PythonTokenizer.tokenize(text, where), where).run();
	}

	private List<ConfigEntry> run() {
		while (peek().kind() != Kind.END) statement();
		// A name that later lines use (BASE = 'lab', then AWS_BUCKET = BASE + '-images') is a helper,
		// not a setting. Any other name is passed on, so that a misspelt key is reported, not dropped.
		List<ConfigEntry> entries = new ArrayList<>();
		values.forEach((name, value) -> {
			boolean helper = referenced.contains(name) && ConfigKey.named(name).isEmpty()
				&& !name.equals(ConfigKey.LEGACY_REQUIREMENTS);
			if (!helper) entries.add(new ConfigEntry(name, value, lines.get(name)));
		});
		return entries;
	}

	private void statement() {
		Token first = take();
		if (first.kind() == Kind.NEWLINE) return;
		if (first.kind() == Kind.STRING && atStatementEnd()) { // a docstring, or a string used as a comment
			take();
			return;
		}
		if (first.kind() != Kind.NAME) throw unsupported(first, "a statement that is not an assignment");
		if (KEYWORDS.contains(first.text())) throw unsupported(first);
		Token operator = take();
		if (operator.isOp(",")) throw unsupported(operator, "multiple assignment");
		if (operator.kind() == Kind.NEWLINE || operator.kind() == Kind.END) {
			throw unsupported(first, "a statement that is not an assignment");
		}
		if (!operator.isOp("=")) throw unsupported(operator);
		Object value = expression();
		if (!atStatementEnd()) throw unsupported(take());
		take();
		checkType(first, value);
		values.put(first.text(), value);
		lines.put(first.text(), first.line());
	}

	/**
	 * A key's value is checked where it is assigned, because later lines compute with it: given
	 * DOCKER_CORES = 'four', the error belongs to that line, not to CPU_SHARES = DOCKER_CORES * 1024.
	 */
	private void checkType(Token name, Object value) {
		Optional<ConfigKey> key = ConfigKey.named(name.text());
		if (key.isEmpty()) return;
		try {
			Values.convert(key.get(), value);
		} catch (Values.BadValue e) {
			throw error(name, name.text() + ": " + e.getMessage());
		}
	}

	private Object expression() {
		Object left = term();
		while (peek().isOp("+") || peek().isOp("-")) {
			Token operator = take();
			left = binary(operator, left, term());
		}
		return left;
	}

	private Object term() {
		Object left = unary();
		while (peek().isOp("*") || peek().isOp("/") || peek().isOp("//") || peek().isOp("%")) {
			Token operator = take();
			left = binary(operator, left, unary());
		}
		return left;
	}

	private Object unary() {
		if (peek().isOp("-") || peek().isOp("+")) {
			Token sign = take();
			Object operand = unary();
			if (sign.isOp("+") && isNumber(operand)) return operand;
			if (operand instanceof Long l) return guard(sign, () -> Math.negateExact(l));
			if (operand instanceof Double d) return -d;
			throw error(sign, "bad operand type for unary " + sign.text() + ": '" + typeName(operand) + "'");
		}
		Object value = atom();
		rejectPostfix();
		return value;
	}

	private Object atom() {
		Token token = take();
		return switch (token.kind()) {
			case NUMBER -> token.value();
			case STRING -> {
				// Adjacent literals are one string in Python: 'a' 'b' is 'ab'.
				StringBuilder text = new StringBuilder((String) token.value());
				while (peek().kind() == Kind.STRING) text.append((String) take().value());
				yield text.toString();
			}
			case NAME -> name(token);
			case OP -> switch (token.text()) {
				case "(" -> parenthesised(token);
				case "[" -> list();
				case "{" -> throw unsupported(token, "dict or set");
				default -> throw unsupported(token);
			};
			case NEWLINE, END -> throw error(token, "expected a value, got " + token.text());
		};
	}

	private Object name(Token token) {
		switch (token.text()) {
			case "True": return true;
			case "False": return false;
			case "None": return null;
			default: break;
		}
		if (KEYWORDS.contains(token.text())) throw unsupported(token);
		rejectPostfix(); // int('3') or os.environ: report the call, not an undefined 'int'
		String name = token.text();
		if (!values.containsKey(name)) {
			String hint = Spelling.nearest(name, values.keySet()).map(n -> " (did you mean " + n + "?)").orElse("");
			throw error(token, "name '" + name + "' is not defined" + hint);
		}
		referenced.add(name);
		return values.get(name);
	}

	private Object parenthesised(Token open) {
		if (peek().isOp(")")) throw unsupported(open, "tuple");
		Object value = expression();
		Token close = take();
		if (close.isOp(",")) throw unsupported(close, "tuple");
		if (!close.isOp(")")) throw unsupported(close);
		return value;
	}

	private List<Object> list() {
		List<Object> items = new ArrayList<>();
		while (!peek().isOp("]")) {
			items.add(expression());
			if (peek().isOp(",")) {
				take();
			} else if (!peek().isOp("]")) {
				throw unsupported(take()); // e.g. a list comprehension's 'for'
			}
		}
		take();
		return Collections.unmodifiableList(items); // not List.copyOf: [None] is a valid list
	}

	/** Calls, attribute access and subscripts have no meaning without running Python. */
	private void rejectPostfix() {
		Token token = peek();
		if (token.isOp("(") || token.isOp(".") || token.isOp("[")) throw unsupported(token);
	}

	private Object binary(Token operator, Object left, Object right) {
		String op = operator.text();
		if (op.equals("+") && left instanceof String a && right instanceof String b) return a + b;
		if (op.equals("+") && left instanceof List<?> a && right instanceof List<?> b) {
			List<Object> joined = new ArrayList<>(a);
			joined.addAll(b);
			return Collections.unmodifiableList(joined);
		}
		if (isNumber(left) && isNumber(right)) {
			boolean divides = op.equals("/") || op.equals("//") || op.equals("%");
			if (divides && ((Number) right).doubleValue() == 0) throw error(operator, "division by zero");
			if (left instanceof Long a && right instanceof Long b) return guard(operator, () -> integers(op, a, b));
			return decimals(op, ((Number) left).doubleValue(), ((Number) right).doubleValue());
		}
		throw error(operator, "unsupported operand types for " + op + ": '" + typeName(left) + "' and '"
			+ typeName(right) + "'");
	}

	/** Python's int arithmetic: '/' gives a float, '//' and '%' round towards minus infinity. */
	private static Object integers(String op, long a, long b) {
		return switch (op) {
			case "+" -> Math.addExact(a, b);
			case "-" -> Math.subtractExact(a, b);
			case "*" -> Math.multiplyExact(a, b);
			case "/" -> (double) a / b;
			case "//" -> Math.floorDiv(a, b);
			case "%" -> Math.floorMod(a, b);
			default -> throw new IllegalStateException(op);
		};
	}

	private static double decimals(String op, double a, double b) {
		return switch (op) {
			case "+" -> a + b;
			case "-" -> a - b;
			case "*" -> a * b;
			case "/" -> a / b;
			case "//" -> Math.floor(a / b);
			case "%" -> a - b * Math.floor(a / b);
			default -> throw new IllegalStateException(op);
		};
	}

	/** Python's ints have no limit; where a long would overflow, say so instead of giving a wrong value. */
	private Object guard(Token token, Supplier<Object> calculation) {
		try {
			return calculation.get();
		} catch (ArithmeticException e) {
			throw error(token, "number too large");
		}
	}

	// Booleans are not numbers here, although Python allows True + 1: no config file needs that.
	private static boolean isNumber(Object value) {
		return value instanceof Long || value instanceof Double;
	}

	private static String typeName(Object value) {
		if (value == null) return "NoneType";
		if (value instanceof String) return "str";
		if (value instanceof Long) return "int";
		if (value instanceof Double) return "float";
		if (value instanceof Boolean) return "bool";
		return "list";
	}

	private boolean atStatementEnd() {
		return peek().kind() == Kind.NEWLINE || peek().kind() == Kind.END;
	}

	private Token peek() {
		return tokens.get(next);
	}

	private Token take() {
		Token token = tokens.get(next);
		if (token.kind() != Kind.END) next++;
		return token;
	}

	private ConfigException unsupported(Token token) {
		return unsupported(token, switch (token.text()) {
			case "(" -> "function call";
			case "." -> "attribute access";
			case "[" -> "subscript";
			default -> "'" + token.text() + "'";
		});
	}

	private ConfigException unsupported(Token token, String what) {
		return error(token, "unsupported Python: " + what);
	}

	private ConfigException error(Token token, String message) {
		return ConfigException.at(where, token.line(), message);
	}
}
