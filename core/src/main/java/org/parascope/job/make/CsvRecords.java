package org.parascope.job.make;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * The records of a CSV file as Python's csv.reader (the "excel" dialect) reads them, which is how
 * CellProfiler's LoadData reads its file: ',' between fields, '"' around fields that hold ',', '"' or
 * line breaks ('""' inside is one '"'), a '"' inside an unquoted field kept as it is.
 */
final class CsvRecords {

	private final Reader in;
	private int line = 1;
	private int recordLine;
	private int pushedBack = -2;

	CsvRecords(Reader in) {
		this.in = in;
	}

	/** The line the last record returned started on. */
	int line() {
		return recordLine;
	}

	/** The next record; an empty list for a blank line; null at the end. */
	List<String> next() throws IOException {
		int c = read();
		if (c < 0) return null;
		recordLine = line;
		List<String> fields = new ArrayList<>();
		if (c == '\n' || c == '\r') {
			endOfLine(c);
			return fields;
		}
		StringBuilder field = new StringBuilder();
		boolean quoted = false, inQuotes = false, any = false;
		while (true) {
			if (inQuotes) {
				if (c < 0) break; // Python (strict=False) ends the field at the end of the file
				if (c == '"') {
					int after = read();
					if (after == '"') field.append('"');
					else {
						inQuotes = false;
						c = after;
						continue;
					}
				} else {
					if (c == '\n') line++;
					field.append((char) c);
				}
				c = read();
				continue;
			}
			if (c < 0 || c == '\n' || c == '\r' || c == ',') {
				fields.add(field.toString());
				field.setLength(0);
				quoted = false;
				any = false;
				if (c == ',') {
					c = read();
					continue;
				}
				if (c >= 0) endOfLine(c);
				return fields;
			}
			if (c == '"' && !any && !quoted) {
				quoted = true;
				inQuotes = true;
			} else {
				field.append((char) c);
			}
			any = true;
			c = read();
		}
		fields.add(field.toString());
		return fields;
	}

	private void endOfLine(int c) throws IOException {
		line++;
		if (c == '\r') {
			int after = read();
			if (after != '\n') pushedBack = after;
		}
	}

	private int read() throws IOException {
		if (pushedBack != -2) {
			int c = pushedBack;
			pushedBack = -2;
			return c;
		}
		return in.read();
	}
}
