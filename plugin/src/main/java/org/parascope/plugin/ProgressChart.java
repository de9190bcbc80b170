package org.parascope.plugin;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import javax.swing.JComponent;

import org.parascope.monitor.MonitorReading;

/**
 * Two small charts of a run over the monitor's readings: tasks done, waiting and running; and tasks
 * done per hour between two readings.
 */
final class ProgressChart extends JComponent {

	private static final Color DONE = new Color(0x2a7d2a), WAITING = new Color(0xc98a00), RUNNING = new Color(0x2c5fb8);
	private List<MonitorReading> readings = List.of();

	ProgressChart() {
		setPreferredSize(new Dimension(420, 170));
	}

	void show(List<MonitorReading> history) {
		readings = List.copyOf(history);
		repaint();
	}

	/** The values a curve shows ("done", "waiting", "running", "tasks per hour"), oldest first. */
	List<Double> values(String series) {
		return switch (series) {
			case "done" -> each(r -> r.done());
			case "waiting" -> each(r -> r.waiting());
			case "running" -> each(r -> r.inFlight());
			case "tasks per hour" -> throughput();
			default -> throw new IllegalArgumentException(series);
		};
	}

	private List<Double> each(ToDoubleFunction<MonitorReading> f) {
		return readings.stream().map(r -> f.applyAsDouble(r)).toList();
	}

	/** Done between consecutive readings, per hour; the first reading has none before it. */
	private List<Double> throughput() {
		List<Double> out = new ArrayList<>();
		for (int i = 1; i < readings.size(); i++) {
			MonitorReading a = readings.get(i - 1), b = readings.get(i);
			double hours = java.time.Duration.between(a.at(), b.at()).toMillis() / 3_600_000.0;
			out.add(hours <= 0 ? 0 : Math.max(0, b.done() - a.done()) / hours);
		}
		return out;
	}

	@Override
	protected void paintComponent(Graphics graphics) {
		Graphics2D g = (Graphics2D) graphics.create();
		g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, getWidth(), getHeight());
		int half = getHeight() / 2;
		panel(g, 0, half - 4, "tasks: done, waiting, running", List.of(values("done"), values("waiting"), values("running")),
			List.of(DONE, WAITING, RUNNING));
		panel(g, half + 4, getHeight() - half - 4, "tasks per hour", List.of(values("tasks per hour")), List.of(DONE));
		g.dispose();
	}

	private void panel(Graphics2D g, int top, int height, String title, List<List<Double>> series, List<Color> colours) {
		int left = 44, right = 8, w = getWidth() - left - right, plotTop = top + 14, h = height - 16;
		double max = 1;
		for (List<Double> s : series) for (double v : s) max = Math.max(max, v);
		g.setColor(Color.GRAY);
		g.drawLine(left, plotTop + h, left + w, plotTop + h);
		g.drawLine(left, plotTop, left, plotTop + h);
		g.setFont(g.getFont().deriveFont(10f));
		g.drawString(title, left + 4, top + 10);
		g.drawString(String.format(Locale.ROOT, "%.0f", max), 2, plotTop + 8);
		g.drawString("0", 2, plotTop + h);
		g.setStroke(new BasicStroke(1.6f));
		for (int k = 0; k < series.size(); k++) {
			List<Double> s = series.get(k);
			g.setColor(colours.get(k));
			for (int i = 1; i < s.size(); i++) {
				g.drawLine(x(i - 1, s.size(), left, w), y(s.get(i - 1), max, plotTop, h), x(i, s.size(), left, w),
					y(s.get(i), max, plotTop, h));
			}
			if (s.size() == 1) g.fillOval(left - 2, y(s.get(0), max, plotTop, h) - 2, 4, 4);
		}
	}

	private static int x(int i, int n, int left, int w) {
		return left + (n <= 1 ? 0 : (int) Math.round((double) i / (n - 1) * w));
	}

	private static int y(double v, double max, int top, int h) {
		return top + h - (int) Math.round(v / max * h);
	}
}
