package org.parascope.cli;

import java.io.PrintWriter;
import java.time.Duration;

import org.parascope.progress.JobProgress;
import org.parascope.progress.ProgressListener;

/**
 * A live progress bar on a terminal; on a log (no terminal) a line every few seconds instead,
 * so CI logs stay readable.
 */
final class TerminalProgress implements ProgressListener {

	private static final int WIDTH = 30;
	private static final long LOG_EVERY_NANOS = Duration.ofSeconds(5).toNanos();

	private final PrintWriter out;
	private final boolean terminal;
	private long lastLine;
	private JobProgress last;
	private String printed = "";

	TerminalProgress(PrintWriter out, boolean terminal) {
		this.out = out;
		this.terminal = terminal;
	}

	/** On {@code err}, the command's standard error: live when this process has a terminal. */
	static TerminalProgress forConsole(PrintWriter err) {
		return new TerminalProgress(err, System.console() != null);
	}

	@Override
	public void update(JobProgress p) {
		last = p;
		if (terminal) {
			out.print("\r" + line(p) + "\u001b[K");
			out.flush();
		}
		else if (System.nanoTime() - lastLine > LOG_EVERY_NANOS) {
			printed = line(p);
			out.println(printed);
			lastLine = System.nanoTime();
		}
	}

	/** Ends the live line, showing the final state. */
	void finish() {
		if (last == null) return;
		if (terminal) out.println("\r" + line(last) + "\u001b[K");
		else if (!line(last).equals(printed)) out.println(line(last));
	}

	static String line(JobProgress p) {
		int filled = p.total() == 0 ? WIDTH : (int) (WIDTH * p.finished() / p.total());
		StringBuilder b = new StringBuilder("[");
		b.append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ");
		b.append(p.finished()).append('/').append(p.total()).append(" done");
		if (p.skipped() > 0) b.append(" (").append(p.skipped()).append(" skipped)");
		b.append(" | ").append(p.dead()).append(" failed | ").append(p.running()).append(" running | ")
			.append(p.waiting()).append(" waiting | ")
			.append(String.format("%.1f tasks/s", p.throughput()));
		p.eta().ifPresent(eta -> b.append(" | ETA ").append(clock(eta)));
		return b.toString();
	}

	static String clock(Duration d) {
		long s = d.toSeconds();
		return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
			: String.format("%d:%02d", s / 60, s % 60);
	}
}
