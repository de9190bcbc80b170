package org.parascope.config;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Splits a config.py into the tokens of Python's lexical grammar that config files use: names,
 * numbers, string literals, operators and the ends of logical lines. Whether a token is allowed
 * where it stands is the parser's business, so that its error can name the construct.
 */
final class PythonTokenizer {

	enum Kind { NAME, NUMBER, STRING, OP, NEWLINE, END }

	/** {@code value} is the Long/Double of a NUMBER and the decoded text of a STRING. */
	record Token(Kind kind, String text, Object value, int line) {

		boolean isOp(String op) {
			return kind == Kind.OP && text.equals(op);
		}
	}

	// Longest first. Recognised only so that the parser reports "'+='" rather than "'+'".
	private static final List<String> LONG_OPS = List.of("**=", "//=", "**", "//", "+=", "-=", "*=", "/=", "%=",
		"==", "!=", "<=", ">=", ":=", "->", "<<", ">>");

	private final String src;
	private final String where;
	private final List<Token> tokens = new ArrayList<>();
	private int pos;
	private int line = 1;
	/** Open brackets: inside them a line end does not end the statement. */
	private final Deque<Token> open = new ArrayDeque<>();

	private PythonTokenizer(String src, String where) {
		this.src = src;
		this.where = where;
	}

	/** The tokens of {@code src}; {@code where} names the file in error messages. */
	static List<Token> tokenize(String src, String where) {
		return new PythonTokenizer(src, where).run();
	}

	private List<Token> run() {
		while (pos < src.length()) {
			char c = src.charAt(pos);
			if (c == '#') {
				while (pos < src.length() && src.charAt(pos) != '\n') pos++;
			} else if (c == '\n') {
				endLine();
				pos++;
				line++;
			} else if (c == '\\' && src.startsWith("\n", pos + 1)) {
				pos += 2; // explicit line joining
				line++;
			} else if (c == '\\' && src.startsWith("\r\n", pos + 1)) {
				pos += 3;
				line++;
			} else if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
				pos++;
			} else if (Character.isLetter(c) || c == '_') {
				nameOrPrefixedString();
			} else if (isDigit(c) || c == '.' && pos + 1 < src.length() && isDigit(src.charAt(pos + 1))) {
				number();
			} else if (c == '\'' || c == '"') {
				string(false);
			} else {
				operator();
			}
		}
		// Reported here, before parsing, or the lines after the bracket would be blamed instead.
		if (!open.isEmpty()) {
			Token outermost = open.getLast();
			throw ConfigException.at(where, outermost.line(), "'" + outermost.text() + "' was never closed");
		}
		endLine();
		tokens.add(new Token(Kind.END, "end of file", null, line));
		return tokens;
	}

	private void endLine() {
		boolean statementOpen = !tokens.isEmpty() && tokens.get(tokens.size() - 1).kind() != Kind.NEWLINE;
		if (open.isEmpty() && statementOpen) tokens.add(new Token(Kind.NEWLINE, "end of line", null, line));
	}

	private void nameOrPrefixedString() {
		int start = pos;
		while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) pos++;
		String name = src.substring(start, pos);
		boolean quoteFollows = pos < src.length() && (src.charAt(pos) == '\'' || src.charAt(pos) == '"');
		String prefix = name.toLowerCase();
		if (quoteFollows && prefix.matches("[rubf]|rb|br|fr|rf")) {
			if (prefix.contains("f")) throw ConfigException.at(where, line, "unsupported Python: f-string");
			if (prefix.contains("b")) throw ConfigException.at(where, line, "unsupported Python: bytes literal");
			string(prefix.contains("r"));
		} else {
			tokens.add(new Token(Kind.NAME, name, null, line));
		}
	}

	private void number() {
		int start = pos;
		while (pos < src.length() && (isDigit(src.charAt(pos)) || src.charAt(pos) == '_')) pos++;
		if (pos < src.length() && src.charAt(pos) == '.') {
			pos++;
			while (pos < src.length() && (isDigit(src.charAt(pos)) || src.charAt(pos) == '_')) pos++;
		}
		if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
			int mark = pos++;
			if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) pos++;
			if (pos < src.length() && isDigit(src.charAt(pos))) {
				while (pos < src.length() && isDigit(src.charAt(pos))) pos++;
			} else {
				pos = mark;
			}
		}
		// Hexadecimal, complex and the like run on into letters: report the whole literal.
		while (pos < src.length() && Character.isLetterOrDigit(src.charAt(pos))) pos++;
		String text = src.substring(start, pos);
		String digits = text.replace("_", "");
		Object value;
		try {
			if (!digits.matches("[0-9.eE+-]+")) throw new NumberFormatException();
			value = digits.matches("[0-9]+") ? (Object) Long.parseLong(digits) : (Object) Double.parseDouble(digits);
		} catch (NumberFormatException e) {
			throw ConfigException.at(where, line, "unsupported Python: number " + text);
		}
		tokens.add(new Token(Kind.NUMBER, text, value, line));
	}

	private void string(boolean raw) {
		int startLine = line;
		char quote = src.charAt(pos);
		String triple = String.valueOf(quote).repeat(3);
		boolean isTriple = src.startsWith(triple, pos);
		int start = pos;
		pos += isTriple ? 3 : 1;
		StringBuilder text = new StringBuilder();
		while (true) {
			if (pos >= src.length()) throw ConfigException.at(where, startLine, "unterminated string");
			char c = src.charAt(pos);
			if (isTriple ? src.startsWith(triple, pos) : c == quote) {
				pos += isTriple ? 3 : 1;
				break;
			}
			if (c == '\n') {
				if (!isTriple) throw ConfigException.at(where, startLine, "unterminated string");
				line++;
			}
			if (c == '\\' && pos + 1 < src.length()) {
				char next = src.charAt(pos + 1);
				pos += 2;
				if (next == '\n') line++;
				if (raw) {
					text.append(c).append(next);
				} else {
					escape(next, text);
				}
				continue;
			}
			text.append(c);
			pos++;
		}
		tokens.add(new Token(Kind.STRING, src.substring(start, pos), text.toString(), startLine));
	}

	/** Appends the character of the escape {@code \}{@code e}; {@code pos} is just past {@code e}. */
	private void escape(char e, StringBuilder text) {
		switch (e) {
			case '\n' -> {} // a backslash at the end of a line continues the string
			case '\\', '\'', '"' -> text.append(e);
			case 'n' -> text.append('\n');
			case 't' -> text.append('\t');
			case 'r' -> text.append('\r');
			case 'a' -> text.append('\u0007');
			case 'b' -> text.append('\b');
			case 'f' -> text.append('\f');
			case 'v' -> text.append('\u000b');
			case 'x' -> text.append((char) hex(2));
			case 'u' -> text.append((char) hex(4));
			case 'U' -> {
				int codePoint = hex(8);
				if (!Character.isValidCodePoint(codePoint)) throw ConfigException.at(where, line, "invalid escape in string");
				text.appendCodePoint(codePoint);
			}
			case '0', '1', '2', '3', '4', '5', '6', '7' -> {
				int start = pos - 1;
				while (pos < src.length() && pos - start < 3 && src.charAt(pos) >= '0' && src.charAt(pos) <= '7') pos++;
				text.append((char) Integer.parseInt(src.substring(start, pos), 8));
			}
			default -> text.append('\\').append(e); // Python keeps unknown escapes as written
		}
	}

	private int hex(int digits) {
		if (pos + digits > src.length() || !src.substring(pos, pos + digits).matches("[0-9a-fA-F]+")) {
			throw ConfigException.at(where, line, "invalid escape in string");
		}
		int value = Integer.parseInt(src.substring(pos, pos + digits), 16);
		pos += digits;
		return value;
	}

	private void operator() {
		String op = LONG_OPS.stream().filter(o -> src.startsWith(o, pos)).findFirst()
			.orElse(String.valueOf(src.charAt(pos)));
		Token token = new Token(Kind.OP, op, null, line);
		if ("([{".contains(op)) open.push(token);
		if (")]}".contains(op) && !open.isEmpty()) open.pop();
		pos += op.length();
		tokens.add(token);
	}

	private static boolean isDigit(char c) {
		return c >= '0' && c <= '9';
	}
}
