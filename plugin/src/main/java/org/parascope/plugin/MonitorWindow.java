package org.parascope.plugin;

import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.GridLayout;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.swing.BorderFactory;
import javax.swing.DefaultListModel;
import javax.swing.JButton;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JPanel;
import javax.swing.JProgressBar;
import javax.swing.JScrollPane;
import javax.swing.JSplitPane;
import javax.swing.JTextArea;
import javax.swing.SwingUtilities;
import javax.swing.WindowConstants;

import org.parascope.job.Task;
import org.parascope.monitor.MonitorReading;
import org.parascope.progress.Durations;

/**
 * Monitor Job's window: not modal, it follows a {@link JobWatch} live. Its buttons run their action
 * off the Swing thread and report in the window's notes.
 */
public final class MonitorWindow extends JFrame {

	/** What the buttons do; each may take seconds (AWS calls). */
	public interface Actions {
		void retryFailed();

		void cleanUp();

		void openResults();

		/** Makes the run's report from its trace (docs/trace.md) and opens it in the browser. */
		void openReport();

		/** One failed task's log, as text. */
		String log(Task task);
	}

	private final JobWatch watch;
	private final Actions actions;
	private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
		Thread t = new Thread(r, "parascope-monitor-window");
		t.setDaemon(true);
		return t;
	});
	private final JLabel phase = new JLabel();
	private final JProgressBar bar = new JProgressBar();
	private final Map<String, JLabel> values = new LinkedHashMap<>();
	private final JTextArea notes = text(6);
	private final DefaultListModel<Task> failed = new DefaultListModel<>();
	private final JList<Task> failedList = new JList<>(failed);
	private final JTextArea log = text(8);
	private final ProgressChart chart = new ProgressChart();

	public MonitorWindow(String title, JobWatch watch, Actions actions) {
		super(title);
		this.watch = watch;
		this.actions = actions;
		setDefaultCloseOperation(WindowConstants.DISPOSE_ON_CLOSE);

		phase.setFont(phase.getFont().deriveFont(Font.BOLD, 14f));
		bar.setStringPainted(true);
		JPanel top = new JPanel(new BorderLayout(0, 6));
		top.add(phase, BorderLayout.NORTH);
		top.add(bar, BorderLayout.CENTER);

		JPanel grid = new JPanel(new GridLayout(0, 4, 12, 4));
		for (String name : List.of("Waiting", "Running", "Done", "Failed", "Throughput", "ETA", "Fleet", "Estimated cost")) {
			JLabel value = new JLabel("-");
			value.setName(name);
			values.put(name, value);
			grid.add(new JLabel(name + ":"));
			grid.add(value);
		}
		JPanel left = new JPanel(new BorderLayout(0, 6));
		JPanel figures = new JPanel(new BorderLayout(0, 6));
		figures.add(grid, BorderLayout.NORTH);
		figures.add(titled(chart, "Over time"), BorderLayout.CENTER);
		left.add(figures, BorderLayout.NORTH);
		left.add(titled(new JScrollPane(notes), "What the monitor did"), BorderLayout.CENTER);

		failedList.setCellRenderer((list, task, index, selected, focus) -> {
			JLabel cell = new JLabel(task.label());
			cell.setOpaque(selected);
			if (selected) cell.setBackground(list.getSelectionBackground());
			return cell;
		});
		failedList.addListSelectionListener(e -> {
			Task task = failedList.getSelectedValue();
			if (!e.getValueIsAdjusting() && task != null) inBackground(() -> {
				String text = actions.log(task);
				SwingUtilities.invokeLater(() -> log.setText(text));
			});
		});
		JSplitPane right = new JSplitPane(JSplitPane.VERTICAL_SPLIT, titled(new JScrollPane(failedList), "Failed tasks"),
			titled(new JScrollPane(log), "Log of the selected task"));
		right.setResizeWeight(0.4);

		JSplitPane center = new JSplitPane(JSplitPane.HORIZONTAL_SPLIT, left, right);
		center.setResizeWeight(0.6);

		JPanel buttons = new JPanel();
		buttons.add(button("Retry failed", actions::retryFailed));
		buttons.add(button("Stop and clean up", actions::cleanUp));
		buttons.add(button("Open results", actions::openResults));
		buttons.add(button("Open report", actions::openReport));

		JPanel content = new JPanel(new BorderLayout(0, 8));
		content.setBorder(BorderFactory.createEmptyBorder(10, 10, 10, 10));
		content.add(top, BorderLayout.NORTH);
		content.add(center, BorderLayout.CENTER);
		content.add(buttons, BorderLayout.SOUTH);
		setContentPane(content);
		setPreferredSize(new Dimension(900, 700));
		pack();

		watch.onChange(() -> SwingUtilities.invokeLater(this::render));
		render();
	}

	/** The text a label shows, by name (Waiting, Running, Done, Failed, Throughput, ETA, Fleet, Estimated cost). */
	public String value(String name) {
		return values.get(name).getText();
	}

	/** The values a chart's curve shows ("done", "waiting", "running", "tasks per hour"), oldest first. */
	public List<Double> chartValues(String series) {
		return chart.values(series);
	}

	public String phaseText() {
		return phase.getText();
	}

	private void render() {
		phase.setText(watch.phase().text() + (watch.problem().map(p -> ": " + p).orElse("")));
		watch.last().ifPresent(this::show);
		chart.show(watch.history());
		List<String> lines = watch.notes();
		notes.setText(String.join("\n", lines));
		if (!failed.isEmpty() || !watch.failed().isEmpty()) {
			failed.clear();
			watch.failed().forEach(failed::addElement);
		}
	}

	private void show(MonitorReading r) {
		bar.setMaximum((int) Math.max(1, r.total()));
		bar.setValue((int) (r.done() + r.dead()));
		bar.setString(r.done() + r.dead() + " of " + r.total() + " tasks finished");
		values.get("Waiting").setText(Long.toString(r.waiting()));
		values.get("Running").setText(Long.toString(r.inFlight()));
		values.get("Done").setText(Long.toString(r.done()));
		values.get("Failed").setText(Long.toString(r.dead()));
		values.get("Throughput").setText(String.format(Locale.ROOT, "%.0f tasks/h", r.tasksPerHour()));
		values.get("ETA").setText(r.eta().map(Durations::readable).orElse("-"));
		values.get("Fleet").setText(r.fleetRunning() + " of " + r.fleetTarget() + " machines");
		values.get("Estimated cost").setText(String.format(Locale.ROOT, "at most $%.2f", r.maxCost()));
	}

	private JButton button(String label, Runnable action) {
		JButton button = new JButton(label);
		button.addActionListener(e -> inBackground(action));
		return button;
	}

	private void inBackground(Runnable action) {
		background.submit(() -> {
			try {
				action.run();
			}
			catch (RuntimeException e) {
				watch.note("failed: " + e.getMessage());
			}
		});
	}

	private static JTextArea text(int rows) {
		JTextArea area = new JTextArea(rows, 30);
		area.setEditable(false);
		area.setLineWrap(true);
		area.setWrapStyleWord(true);
		area.setFont(new Font(Font.MONOSPACED, Font.PLAIN, 12));
		return area;
	}

	private static JPanel titled(java.awt.Component inside, String title) {
		JPanel panel = new JPanel(new BorderLayout());
		panel.setBorder(BorderFactory.createTitledBorder(title));
		panel.add(inside);
		return panel;
	}

	@Override
	public void dispose() {
		background.shutdown();
		super.dispose();
	}
}
