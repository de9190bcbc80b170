package org.parascope.report;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.parascope.progress.Durations;
import org.parascope.report.RunFigures.Bar;
import org.parascope.report.RunFigures.Bin;
import org.parascope.report.RunFigures.Bucket;
import org.parascope.report.RunFigures.EngineDurations;
import org.parascope.report.RunFigures.FailureGroup;
import org.parascope.report.RunFigures.MachineCost;
import org.parascope.report.RunFigures.Option;
import org.parascope.report.RunFigures.SlowTry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

/**
 * A report as one HTML file that needs nothing else: inline CSS and SVG, no script, no fonts or
 * images from the network. Each chart's polylines carry their values ({@code data-values}), and the
 * figures themselves are embedded as JSON ({@code <script type="application/json" id="figures">}).
 */
public final class ReportPage {

	static final int W = 760, H = 180, LEFT = 56, RIGHT = 12, TOP = 10, BOTTOM = 24;
	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
		.withZone(ZoneOffset.UTC);

	private static final JsonMapper JSON = JsonMapper.builder()
		.addModule(new SimpleModule().addSerializer(Instant.class, ToStringSerializer.instance))
		.enable(SerializationFeature.INDENT_OUTPUT).build();

	private ReportPage() {}

	/** The figures as JSON ({@code --json}), times as ISO-8601 strings. */
	public static String json(RunFigures figures) {
		try {
			return JSON.writeValueAsString(figures);
		}
		catch (JsonProcessingException e) {
			throw new IllegalStateException(e);
		}
	}

	public static String html(RunFigures f) {
		StringBuilder h = new StringBuilder(64 * 1024);
		h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>").append(esc(f.title()))
			.append("</title>\n<style>").append(CSS).append("</style></head>\n<body>\n");
		h.append("<h1>").append(esc(f.title())).append("</h1>\n<p class=\"sub\">").append(esc(f.source()))
			.append(" &middot; report made ").append(TIME.format(f.generated())).append("</p>\n");
		summary(h, f);
		List<Bin> t = f.timeline();
		h.append("<h2>Progress</h2>\n");
		h.append(lineChart("progress", t, new String[] { "done", "waiting", "in flight" },
			new double[][] { values(t, Bin::done), values(t, Bin::waiting), values(t, Bin::inFlight) }, f));
		h.append("<h2>Throughput</h2>\n<p class=\"note\">Tasks done per hour, per ").append(duration(f.binMillis()))
			.append(" bin.</p>\n");
		h.append(lineChart("throughput", t, new String[] { "tasks per hour" }, new double[][] { values(t, Bin::tasksPerHour) }, f));
		h.append("<h2>Machines</h2>\n<p class=\"note\">Machines with a worker that had started a try, from its first "
			+ "try's start to its last try's end.</p>\n");
		h.append(lineChart("machines", t, new String[] { "machines" }, new double[][] { values(t, b -> b.machines()) }, f));
		gantt(h, f);
		durations(h, f);
		failures(h, f);
		cost(h, f);
		rightSizing(h, f);
		if (!f.notes().isEmpty()) {
			h.append("<h2>Notes</h2>\n<ul>");
			for (String n : f.notes()) h.append("<li>").append(esc(n)).append("</li>");
			h.append("</ul>\n");
		}
		h.append("<script type=\"application/json\" id=\"figures\">").append(json(f).replace("</", "<\\/")).append("</script>\n");
		h.append("</body></html>\n");
		return h.toString();
	}

	private static void summary(StringBuilder h, RunFigures f) {
		RunFigures.Summary s = f.summary();
		h.append("<h2>Summary</h2>\n<table class=\"summary\" id=\"summary\">\n");
		row(h, "tasks", s.tasks());
		row(h, "tasks succeeded", s.tasksSucceeded());
		row(h, "tasks failed", s.tasksFailed());
		row(h, "tasks unfinished", s.tasksUnfinished());
		row(h, "tries", s.tries());
		for (Map.Entry<String, Long> e : s.triesByOutcome().entrySet()) {
			if (e.getValue() > 0) row(h, "&nbsp;&nbsp;tries " + e.getKey().replace('_', ' '), e.getValue());
		}
		row(h, "workers", s.workers());
		row(h, "machines", s.machines());
		rowText(h, "first start", TIME.format(s.start()));
		rowText(h, "last end", TIME.format(s.end()));
		rowText(h, "wall time", duration((long) (s.wallSeconds() * 1000)));
		rowText(h, "time in tries", duration((long) (s.engineSeconds() * 1000)));
		rowText(h, "CPU time of the engines", duration((long) (s.cpuSeconds() * 1000)));
		rowText(h, "peak memory of a try", String.format(Locale.ROOT, "%.0f MiB", s.peakMemoryMiB()));
		rowText(h, "fetched / stored", bytes(s.bytesFetched()) + " / " + bytes(s.bytesStored()));
		h.append("</table>\n");
	}

	private static void row(StringBuilder h, String name, long value) {
		h.append("<tr><th>").append(name).append("</th><td data-key=\"").append(name.replace("&nbsp;", "").strip())
			.append("\">").append(value).append("</td></tr>\n");
	}

	private static void rowText(StringBuilder h, String name, String value) {
		h.append("<tr><th>").append(name).append("</th><td>").append(esc(value)).append("</td></tr>\n");
	}

	interface Value {
		double of(Bin b);
	}

	private static double[] values(List<Bin> bins, Value v) {
		double[] out = new double[bins.size()];
		for (int i = 0; i < out.length; i++) out[i] = v.of(bins.get(i));
		return out;
	}

	private static String lineChart(String id, List<Bin> bins, String[] names, double[][] series, RunFigures f) {
		StringBuilder s = new StringBuilder();
		double max = 1;
		for (double[] v : series) for (double x : v) max = Math.max(max, x);
		max = niceCeiling(max);
		int n = bins.size();
		s.append("<svg id=\"").append(id).append("\" class=\"chart\" viewBox=\"0 0 ").append(W).append(' ').append(H)
			.append("\" width=\"").append(W).append("\" height=\"").append(H).append("\" role=\"img\">\n");
		axes(s, max, f);
		for (int k = 0; k < series.length; k++) {
			StringBuilder pts = new StringBuilder(), vals = new StringBuilder();
			for (int i = 0; i < n; i++) {
				double x = LEFT + (n == 1 ? 0 : (double) i / (n - 1)) * (W - LEFT - RIGHT);
				double y = H - BOTTOM - series[k][i] / max * (H - TOP - BOTTOM);
				pts.append(i == 0 ? "" : " ").append(fmt(x)).append(',').append(fmt(y));
				vals.append(i == 0 ? "" : ",").append(fmt(series[k][i]));
			}
			s.append("<polyline class=\"s").append(k).append("\" data-series=\"").append(esc(names[k]))
				.append("\" data-values=\"").append(vals).append("\" points=\"").append(pts).append("\"/>\n");
		}
		s.append("</svg>\n<div class=\"legend\">");
		for (int k = 0; k < names.length; k++) {
			s.append("<span class=\"key s").append(k).append("\">&#9632;</span> ").append(esc(names[k])).append(" &nbsp; ");
		}
		s.append("</div>\n");
		return s.toString();
	}

	private static void axes(StringBuilder s, double max, RunFigures f) {
		int bottom = H - BOTTOM;
		s.append("<line class=\"axis\" x1=\"").append(LEFT).append("\" y1=\"").append(bottom).append("\" x2=\"").append(W - RIGHT)
			.append("\" y2=\"").append(bottom).append("\"/>\n");
		s.append("<line class=\"axis\" x1=\"").append(LEFT).append("\" y1=\"").append(TOP).append("\" x2=\"").append(LEFT)
			.append("\" y2=\"").append(bottom).append("\"/>\n");
		s.append("<text class=\"tick\" x=\"").append(LEFT - 4).append("\" y=\"").append(TOP + 8).append("\" text-anchor=\"end\">")
			.append(fmt(max)).append("</text>\n");
		s.append("<text class=\"tick\" x=\"").append(LEFT - 4).append("\" y=\"").append(bottom).append("\" text-anchor=\"end\">0</text>\n");
		s.append("<text class=\"tick\" x=\"").append(LEFT).append("\" y=\"").append(H - 8).append("\">")
			.append(TIME.format(f.summary().start())).append("</text>\n");
		s.append("<text class=\"tick\" x=\"").append(W - RIGHT).append("\" y=\"").append(H - 8).append("\" text-anchor=\"end\">+")
			.append(duration((long) (f.summary().wallSeconds() * 1000))).append("</text>\n");
	}

	private static void gantt(StringBuilder h, RunFigures f) {
		RunFigures.Gantt g = f.gantt();
		h.append("<h2>Timeline of tries</h2>\n");
		int lanes = Math.max(1, g.lanes().size());
		int lane = Math.max(4, Math.min(16, 480 / lanes));
		int label = 150, width = W - label - RIGHT;
		int height = lanes * lane + BOTTOM;
		long start = f.summary().start().toEpochMilli();
		double span = Math.max(1, f.summary().wallSeconds() * 1000);
		if (g.aggregated()) {
			h.append("<p class=\"note\">Too many tries to draw one by one: each cell is the share of a ")
				.append(duration(f.binMillis())).append(" bin the worker(s) of the lane spent in tries.</p>\n");
		}
		else {
			h.append("<p class=\"note\">One row per worker, one bar per try (hover for the task); colours: ");
			for (String o : List.of("succeeded", "failed", "timed_out", "released", "skipped", "unfinished")) {
				h.append("<span class=\"key o-").append(o).append("\">&#9632;</span> ").append(o.replace('_', ' ')).append(' ');
			}
			h.append("</p>\n");
		}
		h.append("<svg id=\"gantt\" class=\"chart\" viewBox=\"0 0 ").append(W).append(' ').append(height).append("\" width=\"")
			.append(W).append("\" height=\"").append(height).append("\">\n");
		for (int i = 0; i < g.lanes().size(); i++) {
			if (lane >= 8) {
				h.append("<text class=\"tick\" x=\"").append(label - 4).append("\" y=\"").append(i * lane + lane - 3)
					.append("\" text-anchor=\"end\">").append(esc(shorten(g.lanes().get(i), 26))).append("</text>\n");
			}
		}
		if (g.aggregated()) {
			// Busy shares in five shades, one path per lane and shade: a few hundred elements however big the run.
			int bins = g.busy().isEmpty() ? 1 : g.busy().get(0).length;
			double cw = (double) width / bins;
			for (int i = 0; i < g.busy().size(); i++) {
				double[] row = g.busy().get(i);
				StringBuilder[] shades = new StringBuilder[5];
				for (int b = 0; b < row.length; b++) {
					if (row[b] <= 0) continue;
					int shade = Math.min(4, (int) (row[b] * 5));
					if (shades[shade] == null) shades[shade] = new StringBuilder();
					shades[shade].append('M').append(fmt(label + b * cw)).append(',').append(i * lane).append('h').append(fmt(cw))
						.append('v').append(lane - 1).append('h').append(fmt(-cw)).append('z');
				}
				for (int k = 0; k < 5; k++) {
					if (shades[k] == null) continue;
					h.append("<path class=\"busy\" fill-opacity=\"").append(fmt(0.2 + 0.2 * k)).append("\" d=\"").append(shades[k])
						.append("\"/>\n");
				}
			}
		}
		else {
			for (Bar b : g.bars()) {
				double x0 = label + (b.start().toEpochMilli() - start) / span * width;
				double x1 = label + ((b.end() == null ? f.summary().end() : b.end()).toEpochMilli() - start) / span * width;
				h.append("<rect class=\"o-").append(b.outcome()).append("\" x=\"").append(fmt(x0)).append("\" y=\"")
					.append(b.lane() * lane).append("\" width=\"").append(fmt(Math.max(1, x1 - x0))).append("\" height=\"")
					.append(lane - 1).append("\"><title>").append(esc(b.task())).append(" (try ").append(b.attempt()).append("): ")
					.append(b.outcome()).append("</title></rect>\n");
			}
		}
		h.append("</svg>\n");
	}

	private static void durations(StringBuilder h, RunFigures f) {
		h.append("<h2>Durations</h2>\n");
		for (EngineDurations d : f.durations()) {
			h.append("<h3>").append(esc(d.engine())).append(": ").append(d.tries()).append(" tries, median ")
				.append(secs(d.medianSeconds())).append(", 95th percentile ").append(secs(d.p95Seconds())).append(", longest ")
				.append(secs(d.maxSeconds())).append("</h3>\n");
			histogram(h, d);
			h.append("<table class=\"list\" id=\"slowest-").append(esc(d.engine())).append("\"><tr><th>slowest tries</th>"
				+ "<th>seconds</th><th>outcome</th><th>try</th><th>machine, worker</th></tr>\n");
			for (SlowTry s : d.slowest()) {
				h.append("<tr><td>").append(esc(s.task())).append("</td><td>").append(fmt(s.seconds())).append("</td><td>")
					.append(esc(s.outcome())).append("</td><td>").append(s.attempt()).append("</td><td>").append(esc(s.machine()))
					.append(", ").append(esc(s.worker())).append("</td></tr>\n");
			}
			h.append("</table>\n");
		}
	}

	private static void histogram(StringBuilder h, EngineDurations d) {
		List<Bucket> buckets = d.histogram();
		if (buckets.isEmpty()) return;
		long max = buckets.stream().mapToLong(Bucket::count).max().orElse(1);
		double bw = (double) (W - LEFT - RIGHT) / buckets.size();
		h.append("<svg class=\"chart histogram\" id=\"histogram-").append(esc(d.engine())).append("\" viewBox=\"0 0 ").append(W)
			.append(' ').append(H).append("\" width=\"").append(W).append("\" height=\"").append(H).append("\">\n");
		h.append("<text class=\"tick\" x=\"").append(LEFT - 4).append("\" y=\"").append(TOP + 8).append("\" text-anchor=\"end\">")
			.append(max).append("</text>\n");
		for (int i = 0; i < buckets.size(); i++) {
			Bucket b = buckets.get(i);
			double bh = (double) b.count() / max * (H - TOP - BOTTOM);
			h.append("<rect class=\"bar\" data-count=\"").append(b.count()).append("\" x=\"").append(fmt(LEFT + i * bw + 1))
				.append("\" y=\"").append(fmt(H - BOTTOM - bh)).append("\" width=\"").append(fmt(Math.max(1, bw - 2)))
				.append("\" height=\"").append(fmt(bh)).append("\"><title>").append(secs(b.fromSeconds())).append(" to ")
				.append(secs(b.toSeconds())).append(": ").append(b.count()).append(" tries</title></rect>\n");
			if (buckets.size() <= 16 || i % 3 == 0) {
				h.append("<text class=\"tick\" x=\"").append(fmt(LEFT + i * bw)).append("\" y=\"").append(H - 8).append("\">")
					.append(secs(b.fromSeconds())).append("</text>\n");
			}
		}
		h.append("</svg>\n");
	}

	private static void failures(StringBuilder h, RunFigures f) {
		h.append("<h2>Failures</h2>\n");
		if (f.failures().isEmpty()) {
			h.append("<p id=\"failures\">No try failed.</p>\n");
			return;
		}
		h.append("<table class=\"list\" id=\"failures\"><tr><th>reason</th><th>tries</th><th>tasks (examples)</th>"
			+ "<th>read a log</th></tr>\n");
		for (FailureGroup g : f.failures()) {
			h.append("<tr><td class=\"reason\">").append(esc(g.reason())).append("</td><td>").append(g.tries()).append("</td><td>")
				.append(esc(String.join("; ", g.tasks()))).append("</td><td><code>")
				.append(g.logsCommand() == null ? "" : esc(g.logsCommand())).append("</code></td></tr>\n");
		}
		h.append("</table>\n");
	}

	private static void cost(StringBuilder h, RunFigures f) {
		RunFigures.Cost c = f.cost();
		h.append("<h2>Cost</h2>\n<table class=\"summary\" id=\"cost\">\n");
		rowText(h, "machine-hours", fmt(c.machineHours()));
		rowText(h, "upper bound (machine-hours x MACHINE_PRICE " + usd(c.machinePrice()) + ")", usd(c.upperBound()));
		rowText(h, "from the spot price history", c.spotCost() == null ? "unknown" : usd(c.spotCost()));
		rowText(h, "", c.spotNote());
		h.append("</table>\n<p class=\"note\" id=\"machines-from\">Machines from ").append(esc(c.machinesFrom()))
			.append(".</p>\n");
		if (!c.types().isEmpty()) {
			h.append("<table class=\"list\" id=\"machine-types\"><tr><th>type</th><th>lifecycle</th><th>machines</th>"
				+ "<th>hours</th><th>priced</th><th>spot cost</th></tr>\n");
			for (RunFigures.TypeCost t : c.types()) {
				h.append("<tr><td>").append(esc(orDash(t.instanceType()))).append("</td><td>").append(esc(orDash(t.lifecycle())))
					.append("</td><td>").append(t.machines()).append("</td><td>").append(fmt(t.hours())).append("</td><td>")
					.append(t.priced()).append("</td><td>").append(t.spotCost() == null ? "&ndash;" : usd(t.spotCost()))
					.append("</td></tr>\n");
			}
			h.append("</table>\n");
		}
		if (!c.machines().isEmpty()) {
			h.append("<table class=\"list\" id=\"machines-table\"><tr><th>machine</th><th>type</th><th>zone</th>"
				+ "<th>lifecycle</th><th>from</th><th>to</th><th>hours</th><th>spot cost</th></tr>\n");
			int shown = 0;
			for (MachineCost m : c.machines()) {
				if (shown++ == 50) {
					h.append("<tr><td colspan=\"8\">... and ").append(c.machines().size() - 50).append(" more (see --json)</td></tr>\n");
					break;
				}
				h.append("<tr><td>").append(esc(m.machine())).append("</td><td>").append(esc(orDash(m.instanceType())))
					.append("</td><td>").append(esc(orDash(m.zone()))).append("</td><td>").append(esc(orDash(m.lifecycle())))
					.append("</td><td>").append(TIME.format(m.start())).append("</td><td>").append(TIME.format(m.end()))
					.append(m.endSeen() ? "" : " (last seen)").append("</td><td>").append(fmt(m.hours())).append("</td><td>")
					.append(m.spotCost() == null ? "&ndash;" : usd(m.spotCost())).append("</td></tr>\n");
			}
			h.append("</table>\n");
		}
	}

	private static void rightSizing(StringBuilder h, RunFigures f) {
		RunFigures.RightSizing r = f.rightSizing();
		h.append("<h2>Right-sizing</h2>\n<p class=\"note\" id=\"right-sizing-note\">").append(esc(r.note())).append("</p>\n");
		if (r.options().isEmpty() && r.current() == null) return;
		h.append("<table class=\"list\" id=\"right-sizing\"><tr><th></th><th>MACHINE_TYPE</th><th>vCPUs / MiB</th>"
			+ "<th>DOCKER_CORES</th><th>TASKS_PER_MACHINE</th><th>MEMORY</th><th>$/h</th><th>machine-hours</th>"
			+ "<th>run's cost</th></tr>\n");
		if (r.current() != null) option(h, "this run's settings", r.current());
		boolean first = true;
		for (Option o : r.options()) {
			option(h, first ? "cheapest that fits" : "", o);
			first = false;
		}
		h.append("</table>\n");
	}

	private static void option(StringBuilder h, String what, Option o) {
		h.append("<tr><td>").append(what).append("</td><td>").append(esc(o.instanceType())).append("</td><td>").append(o.vcpus())
			.append(" / ").append(o.machineMemoryMiB()).append("</td><td>").append(o.dockerCores()).append("</td><td>")
			.append(o.tasksPerMachine()).append("</td><td>").append(o.memoryMiB()).append("</td><td>")
			.append(String.format(Locale.ROOT, "%.5f", o.pricePerHour())).append("</td><td>").append(fmt(o.machineHours()))
			.append("</td><td>").append(usd(o.cost())).append("</td></tr>\n");
	}

	private static String orDash(String s) {
		return s == null ? "-" : s;
	}

	static double niceCeiling(double v) {
		double p = Math.pow(10, Math.floor(Math.log10(v)));
		for (double m : new double[] { 1, 2, 2.5, 5, 10 }) if (m * p >= v) return m * p;
		return 10 * p;
	}

	static String fmt(double v) {
		if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
		return String.format(Locale.ROOT, "%.2f", v);
	}

	private static String usd(double v) {
		return v != 0 && Math.abs(v) < 0.01 ? String.format(Locale.ROOT, "$%.6f", v) : String.format(Locale.ROOT, "$%.2f", v);
	}

	private static String secs(double s) {
		return s < 1 ? String.format(Locale.ROOT, "%.0f ms", s * 1000) : s < 120 ? String.format(Locale.ROOT, "%.1f s", s)
			: duration((long) (s * 1000));
	}

	static String duration(long millis) {
		Duration d = Duration.ofMillis(millis);
		// Tenths of a second matter in a report; from a minute on, the way every log line says it.
		return d.toSeconds() < 60 ? String.format(Locale.ROOT, "%.1f s", millis / 1000.0) : Durations.readable(d);
	}

	private static String bytes(long b) {
		if (b < 1024) return b + " B";
		if (b < 1 << 20) return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
		if (b < 1L << 30) return String.format(Locale.ROOT, "%.1f MiB", b / 1048576.0);
		return String.format(Locale.ROOT, "%.1f GiB", b / 1073741824.0);
	}

	private static String shorten(String s, int max) {
		return s.length() <= max ? s : "\u2026" + s.substring(s.length() - max + 1);
	}

	static String esc(String s) {
		if (s == null) return "";
		StringBuilder b = new StringBuilder(s.length());
		for (char c : s.toCharArray()) {
			switch (c) {
				case '<' -> b.append("&lt;");
				case '>' -> b.append("&gt;");
				case '&' -> b.append("&amp;");
				case '"' -> b.append("&quot;");
				case '\'' -> b.append("&#39;");
				default -> b.append(c);
			}
		}
		return b.toString();
	}

	private static final String CSS = """
		body{font:14px/1.4 system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px;color:#222;max-width:820px}
		h1{font-size:22px;margin:0}h2{font-size:17px;margin:22px 0 6px;border-bottom:1px solid #ddd}h3{font-size:14px;margin:10px 0 4px}
		.sub,.note{color:#666;font-size:12px;margin:2px 0 6px}
		table{border-collapse:collapse;font-size:13px}td,th{padding:2px 8px;text-align:left;vertical-align:top}
		table.summary th{font-weight:normal;color:#555}table.list th{border-bottom:1px solid #ccc}
		table.list tr:nth-child(even){background:#f6f6f6}td.reason{max-width:360px;word-break:break-word}
		code{font-size:12px;word-break:break-all}
		svg.chart{display:block;background:#fcfcfc;border:1px solid #eee}
		.axis{stroke:#999;stroke-width:1}.tick{font-size:10px;fill:#666}
		polyline{fill:none;stroke-width:2}.s0{stroke:#2a7d2a;color:#2a7d2a}.s1{stroke:#c98a00;color:#c98a00}.s2{stroke:#2c5fb8;color:#2c5fb8}
		.legend{font-size:12px;color:#444;margin:2px 0 8px}
		rect.bar{fill:#5b7fb8}.busy{fill:#2c5fb8}
		.o-succeeded{fill:#3c9a3c;color:#3c9a3c}.o-failed{fill:#d0342c;color:#d0342c}.o-timed_out{fill:#e07b00;color:#e07b00}
		.o-released{fill:#888;color:#888}.o-skipped{fill:#9cc3e6;color:#9cc3e6}.o-unfinished{fill:#8e44ad;color:#8e44ad}
		""";
}
