package org.parascope.plugin;

import java.awt.Desktop;
import java.awt.GraphicsEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import javax.swing.SwingUtilities;

import org.parascope.Parascope;
import org.parascope.ParascopeException;
import org.parascope.config.ConfigKey;
import org.parascope.job.Task;
import org.parascope.monitor.Monitor;
import org.parascope.monitor.MonitorListener;
import org.parascope.monitor.MonitorOptions;
import org.parascope.monitor.MonitorReading;
import org.parascope.report.ReportPage;
import org.parascope.report.Reports;
import org.parascope.run.RunState;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.command.CommandService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.ui.UIService;

/**
 * Plugins > Parascope > Monitor Job: watches the run Start Fleet began until it is done and torn down,
 * as 'parascope monitor' does; when a detached monitor watches it (AUTO_MONITOR), follows that one's
 * readings instead, as 'parascope monitor --follow' does, and closing Fiji stops nothing. With a display,
 * a window (not modal) shows it live; headless, the log does. Outputs how it ended.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Parascope>Monitor Job", headless = true)
public final class MonitorJob extends ParascopeCommand {

	/**
	 * What Fiji can do when the detached monitor's service is gone: Start Fleet would start another fleet, and
	 * Monitor Job only follows a run handed to a detached monitor (a second monitor would compete with one).
	 */
	static final String FIJI_REMEDY = "in Fiji, Clean Up tears the run down now; Monitor Job only follows this run, so "
		+ "to have it watched again run 'parascope monitor --detach'";

	@Parameter(required = false)
	private UIService ui;

	@Parameter(required = false)
	private CommandService commands;

	@Parameter(label = "Seconds between readings", min = "1")
	private int interval = 60;

	@Parameter(label = "Cheapest: one machine after 15 minutes")
	private boolean cheapest;

	@Parameter(type = ItemIO.OUTPUT, label = "Outcome")
	private String outcome;

	/** What the window (or the log) showed; kept for whoever ran the command (a script, a test). */
	@Parameter(type = ItemIO.OUTPUT, label = "Watch")
	private JobWatch watch;

	@Override
	void execute() {
		watch = new JobWatch();
		try (Parascope facade = parascope.open(); Progress progress = progress("Parascope: monitor")) {
			Path state = parascope.stateFile(facade.config());
			if (!Files.isRegularFile(state)) {
				throw new ParascopeException("no run to monitor: Start Fleet writes " + state + ", and there is none");
			}
			String app = facade.config().string(ConfigKey.APP_NAME);
			if (!headless()) SwingUtilities.invokeLater(() -> new MonitorWindow("Parascope: " + app, watch, actions(state)).setVisible(true));
			MonitorOptions options = MonitorOptions.of(facade.config(), Duration.ofSeconds(interval), cheapest);
			try {
				// A detached monitor (Start Fleet with AUTO_MONITOR) owns the run: a second one here would compete with it.
				if (facade.hasDetachedMonitor(state)) {
					if (cheapest) {
						progress.say("Cheapest applies to a monitor run from here; the detached monitor keeps the options it "
							+ "was started with");
					}
					MonitorListener listener = reporting(facade, progress);
					Monitor.Outcome followed = facade.followMonitor(state, Duration.ofSeconds(interval), listener);
					// Its service gone, the run not torn down (Parascope.followMonitor's note gives the command line's remedy).
					if (followed.why().filter(w -> w.contains(" is gone")).isPresent()) listener.note(FIJI_REMEDY);
					watch.finished(followed);
				}
				else watch.finished(facade.monitor(state.toString(), options, reporting(facade, progress)));
			}
			catch (RuntimeException e) {
				watch.stopped(e.getMessage());
				throw e;
			}
			outcome = watch.phase().text() + " (" + watch.counts() + ")";
			progress.say(outcome);
		}
	}

	/** The watch, plus the status bar and log, plus the failed tasks read whenever their count grows. */
	private MonitorListener reporting(Parascope facade, Progress progress) {
		return new MonitorListener() {
			private long dead;

			@Override
			public void reading(MonitorReading r) {
				if (r.dead() > dead) {
					dead = r.dead();
					try {
						watch.failedTasks(facade.failedTasks());
					}
					catch (RuntimeException e) {
						watch.note("cannot list the failed tasks: " + e.getMessage());
					}
				}
				watch.reading(r);
				progress.at(r.done() + r.dead(), r.total(), "Parascope: " + watch.counts());
			}

			@Override
			public void note(String line) {
				watch.note(line);
				progress.say(line);
			}
		};
	}

	/** The window's buttons: each opens the facade on the current settings for itself. */
	private MonitorWindow.Actions actions(Path state) {
		return new MonitorWindow.Actions() {
			@Override
			public void retryFailed() {
				try (Parascope facade = parascope.open()) {
					watch.note(facade.retryFailed().size() + " failed task(s) sent back to the queue");
				}
			}

			@Override
			public void cleanUp() {
				try (Parascope facade = parascope.open()) {
					facade.cleanup(Optional.of(state), watch::note);
				}
			}

			@Override
			public void openResults() {
				if (commands != null) commands.run(DownloadResults.class, true);
			}

			@Override
			public void openReport() {
				try (Parascope facade = parascope.open()) {
					RunState run = RunState.read(state);
					Path page = state.toAbsolutePath().resolveSibling(run.app() + "-report.html");
					Reports.write(page, ReportPage.html(facade.cloudReport(run.startTime(), "fleet " + run.fleetId())));
					watch.note("report: " + page);
					if (Desktop.isDesktopSupported() && Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)) {
						Desktop.getDesktop().browse(page.toUri());
					}
				}
				catch (java.io.IOException e) {
					watch.note("report written, but no browser could open it: " + e.getMessage());
				}
			}

			@Override
			public String log(Task task) {
				StringBuilder text = new StringBuilder();
				try (Parascope facade = parascope.open()) {
					facade.taskLog(task.label(), line -> text.append(line).append('\n'));
				}
				return text.toString();
			}
		};
	}

	private boolean headless() {
		return ui != null ? ui.isHeadless() : GraphicsEnvironment.isHeadless();
	}
}
