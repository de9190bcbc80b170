package org.parascope.plugin;

import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.Window;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;
import javax.swing.JList;
import javax.swing.SwingUtilities;

import org.parascope.AccessFinding;
import org.parascope.job.Engine;
import org.parascope.job.Task;
import org.parascope.monitor.MonitorReading;

/**
 * Run by {@link WindowScreenshotTest} in a JVM of its own on an Xvfb display: shows the Monitor window
 * and the Configure dialog as Fiji would, captures them from the screen into PNGs, and prints what the
 * window's labels say. The window is fed one reading made here: rendering needs no run behind it.
 */
public final class WindowScreenshots {

	public static void main(String[] args) throws Exception {
		Path out = Files.createDirectories(Path.of(args[0]));
		JobWatch watch = new JobWatch();
		MonitorWindow[] window = new MonitorWindow[1];
		SwingUtilities.invokeAndWait(() -> {
			window[0] = new MonitorWindow("Parascope: ParascopeNuclei", watch, new MonitorWindow.Actions() {
				@Override
				public void retryFailed() {}

				@Override
				public void cleanUp() {}

				@Override
				public void openResults() {}

				@Override
				public void openReport() {}

				@Override
				public String log(Task task) {
					return "[worker-2] open cells_08.png\nMacro Error: Undefined variable in line 12\n  rows = rows + nme;";
				}
			});
			window[0].setLocation(0, 0);
			window[0].setVisible(true);
		});
		watch.note("fleet target lowered from 3 to 2 machine(s): nothing waiting, 3 task(s) in flight, 2 per machine");
		// Three readings ten minutes apart: the charts draw the run so far.
		Instant now = Instant.now();
		watch.reading(new MonitorReading(now.minusSeconds(1200), 20, 3, 0, 1, 24, Duration.ofMinutes(10), 3, 3, 0.5, 0.05, 0));
		watch.reading(new MonitorReading(now.minusSeconds(600), 10, 3, 1, 10, 24, Duration.ofMinutes(20), 3, 3, 1.0, 0.10, 0));
		watch.reading(new MonitorReading(now, 2, 3, 1, 18, 24, Duration.ofMinutes(30), 3, 3, 1.5, 0.15, 0));
		watch.failedTasks(List.of(new Task("7", Engine.FIJI, "parascope/jobs/plate1-mean_intensity/mean_intensity.ijm",
			Map.of("image", "cells_08"), Map.of(), List.of(), null, null, "parascope/results/plate1-mean_intensity/cells_08")));
		settle();
		SwingUtilities.invokeAndWait(() -> find(window[0], JList.class).setSelectedIndex(0));
		settle();
		capture(window[0], out.resolve("monitor-window.png"));
		for (String name : List.of("Waiting", "Running", "Done", "Failed", "Throughput", "ETA", "Fleet", "Estimated cost")) {
			System.out.println(name + "=" + window[0].value(name));
		}
		System.out.println("Phase=" + window[0].phaseText());
		System.out.println("Chart done=" + window[0].chartValues("done"));
		System.out.println("Chart tasks per hour=" + window[0].chartValues("tasks per hour"));

		SettingsDialog[] dialog = new SettingsDialog[1];
		Map<org.parascope.config.ConfigKey, String> values = Settings.read(Fixtures.EXAMPLES.resolve("aws/config.py"), l -> {});
		SwingUtilities.invokeAndWait(() -> {
			dialog[0] = new SettingsDialog(values, v -> List.of(), v -> List.of());
			dialog[0].setModal(false);
			dialog[0].setLocation(0, 0);
			dialog[0].showFindings(List.of(new AccessFinding(true, "credentials: account 123456789012 as arn:aws:iam::123456789012:user/lab"),
				new AccessFinding(false, "bucket your-bucket-name does not exist: create it in us-east-1 or correct the bucket setting"),
				new AccessFinding(true, "SQS: may list and use queues in us-east-1")));
			window[0].setVisible(false);
			dialog[0].setVisible(true);
		});
		settle();
		capture(dialog[0], out.resolve("configure-dialog.png"));
		System.out.println("Dialog bucket=" + values.get(org.parascope.config.ConfigKey.AWS_BUCKET));
		SwingUtilities.invokeAndWait(() -> {
			dialog[0].dispose();
			window[0].dispose();
		});
		System.exit(0);
	}

	/** Lets the Swing thread paint what was queued, and the X server draw it. */
	private static void settle() throws Exception {
		SwingUtilities.invokeAndWait(() -> {});
		Thread.sleep(700);
		SwingUtilities.invokeAndWait(() -> {});
	}

	private static void capture(Window window, Path png) throws Exception {
		Rectangle bounds = window.getBounds();
		bounds.setLocation(window.getLocationOnScreen());
		BufferedImage image = new Robot().createScreenCapture(bounds);
		ImageIO.write(image, "png", png.toFile());
		System.out.println("saved " + png + " " + image.getWidth() + "x" + image.getHeight());
	}

	private static <T> T find(java.awt.Container in, Class<T> type) {
		for (java.awt.Component c : in.getComponents()) {
			if (type.isInstance(c)) return type.cast(c);
			if (c instanceof java.awt.Container inner) {
				T found = find(inner, type);
				if (found != null) return found;
			}
		}
		return null;
	}
}
