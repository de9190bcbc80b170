package org.parascope.worker;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Routes what a task's thread prints (engines such as ImageJ print their errors) into that task's
 * log, while other threads print as usual. Installed once, on first use.
 */
public final class TaskOutput {

	private static final ThreadLocal<Capture> CURRENT = new ThreadLocal<>();
	private static boolean installed;

	private TaskOutput() {}

	/** Captures this thread's System.out and System.err lines into {@code log} until closed. */
	public static Capture capture(TaskLog log) {
		install();
		Capture c = new Capture(log);
		CURRENT.set(c);
		return c;
	}

	private static synchronized void install() {
		if (installed) return;
		System.setOut(new PrintStream(new Router(System.out), true, StandardCharsets.UTF_8));
		System.setErr(new PrintStream(new Router(System.err), true, StandardCharsets.UTF_8));
		installed = true;
	}

	/** One task's capture; closing it flushes a last partial line. */
	public static final class Capture implements AutoCloseable {
		private final TaskLog log;
		private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

		Capture(TaskLog log) {
			this.log = log;
		}

		void write(int b) {
			if (b == '\n') flushLine();
			else if (b != '\r') pending.write(b);
		}

		private void flushLine() {
			log.line(pending.toString(StandardCharsets.UTF_8));
			pending.reset();
		}

		@Override
		public void close() {
			if (pending.size() > 0) flushLine();
			CURRENT.remove();
		}
	}

	private static final class Router extends OutputStream {
		private final PrintStream original;

		Router(PrintStream original) {
			this.original = original;
		}

		@Override
		public void write(int b) {
			Capture c = CURRENT.get();
			if (c == null) original.write(b);
			else c.write(b);
		}

		@Override
		public void write(byte[] b, int off, int len) {
			Capture c = CURRENT.get();
			if (c == null) original.write(b, off, len);
			else for (int i = off; i < off + len; i++) c.write(b[i]);
		}

		@Override
		public void flush() {
			original.flush();
		}
	}
}
