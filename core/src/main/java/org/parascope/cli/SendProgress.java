package org.parascope.cli;

import java.io.PrintWriter;
import java.time.Duration;

import org.parascope.submit.Submitter;

/**
 * The progress bar of a submit, like {@link TerminalProgress}: live on a terminal, a line every few
 * seconds on a log.
 */
final class SendProgress implements Submitter.Listener {

	private static final int WIDTH = 30;
	private static final long LOG_EVERY_NANOS = Duration.ofSeconds(5).toNanos();

	private final PrintWriter out;
	private final boolean terminal;
	private final boolean shown;
	private long lastLine = System.nanoTime();
	private String last;

	SendProgress(PrintWriter out, boolean terminal, boolean shown) {
		this.out = out;
		this.terminal = terminal;
		this.shown = shown;
	}

	/**
	 * On {@code err}, the command's standard error; {@code shown} false (--quiet) leaves the bar out but
	 * still says why a submit stopped.
	 */
	static SendProgress forConsole(PrintWriter err, boolean shown) {
		return new SendProgress(err, System.console() != null, shown);
	}

	@Override
	public synchronized void progress(long sent, long total, Duration elapsed) {
		if (!shown) return;
		last = line(sent, total, elapsed);
		if (terminal) {
			out.print("\r" + last + "\u001b[K");
			out.flush();
		}
		else if (System.nanoTime() - lastLine > LOG_EVERY_NANOS) {
			out.println(last);
			lastLine = System.nanoTime();
		}
	}

	@Override
	public synchronized void stopped(String message) {
		finish();
		out.println("parascope: " + message);
	}

	/** Ends the live line with the final state. */
	synchronized void finish() {
		if (last == null) return;
		out.println(terminal ? "\r" + last + "\u001b[K" : last);
		last = null;
	}

	static String line(long sent, long total, Duration elapsed) {
		int filled = total == 0 ? WIDTH : (int) (WIDTH * sent / total);
		double seconds = elapsed.toMillis() / 1000.0;
		double rate = seconds <= 0 ? 0 : sent / seconds;
		StringBuilder b = new StringBuilder("[").append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ")
			.append(sent).append('/').append(total).append(" tasks sent | ").append(String.format("%.0f tasks/s", rate));
		if (rate > 0 && sent < total) {
			b.append(" | ETA ").append(TerminalProgress.clock(Duration.ofMillis((long) ((total - sent) / rate * 1000))));
		}
		return b.toString();
	}
}
