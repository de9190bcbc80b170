package org.parascope.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.Parascope;
import org.parascope.config.Config;
import org.parascope.trace.TraceRecord;
import org.parascope.trace.TraceRecord.Outcome;

/** A report of a known trace, opened in Debian's chromium: what the page shows is what the trace says. */
class ReportPageTest {

	@TempDir
	Path dir;

	static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");

	static TraceRecord record(String kind, String id, int attempt, String worker, int from, Integer to, Outcome outcome,
		String reason) {
		return new TraceRecord(kind, "plate7", id, "Metadata_Well=" + id, Map.of("Metadata_Well", id), attempt, worker,
			"host-7-1", "host", null, null, "cellprofiler", T0.plusSeconds(from), to == null ? null : T0.plusSeconds(to),
			to == null ? null : (double) (to - from), outcome, reason, 1000, 10, to == null ? null : 0.8 * (to - from), 200.0);
	}

	/** Five tasks on two workers: three succeed (one on its second try), one fails twice, one is cut short. */
	static List<String> trace() {
		List<TraceRecord> r = new ArrayList<>();
		r.add(record("start", "A01", 1, "worker-0", 0, null, Outcome.STARTED, null));
		r.add(record("end", "A01", 1, "worker-0", 0, 60, Outcome.SUCCEEDED, null));
		r.add(record("start", "A02", 1, "worker-1", 0, null, Outcome.STARTED, null));
		r.add(record("end", "A02", 1, "worker-1", 0, 30, Outcome.FAILED, "CellProfiler exited with code 1: out of memory"));
		r.add(record("end", "A03", 1, "worker-1", 31, 95, Outcome.FAILED, "CellProfiler exited with code 1: out of memory"));
		r.add(record("end", "A02", 2, "worker-0", 61, 120, Outcome.SUCCEEDED, null));
		r.add(record("end", "A03", 2, "worker-1", 100, 150, Outcome.FAILED, "timed out after 50 s"));
		r.add(record("end", "A04", 1, "worker-0", 121, 300, Outcome.SUCCEEDED, null));
		r.add(record("start", "A05", 1, "worker-1", 151, null, Outcome.STARTED, null));
		return r.stream().map(TraceRecord::toJson).toList();
	}

	@Test
	void thePageShowsTheRunsCountsFailuresAndCurves() throws Exception {
		Files.write(Files.createDirectories(dir.resolve("run")).resolve("trace.jsonl"), trace());
		Path page = new Parascope(Config.defaults()).writeLocalReport(dir.resolve("run"), "plate7", 0);
		assertEquals(dir.resolve("run/report.html"), page);
		String html = Files.readString(page);
		for (String outside : List.of("http://", "https://", "<link", " src=", "@import")) {
			assertFalse(html.contains(outside), "the page needs nothing from outside: " + outside);
		}

		Chromium chromium = Chromium.installed();
		String dom = chromium.dumpDom(page, 2000);
		assertEquals("5", cell(dom, "tasks"));
		assertEquals("3", cell(dom, "tasks succeeded"));
		assertEquals("1", cell(dom, "tasks failed"));
		assertEquals("1", cell(dom, "tasks unfinished"));
		assertEquals("7", cell(dom, "tries"));
		assertTrue(dom.contains("CellProfiler exited with code 1: out of memory</td><td>2</td>"), "the reason and its two tries");
		assertFalse(dom.contains("parascope logs"), "a local run's tasks have no CloudWatch log");
		// The progress curve ends with every succeeded task done; the timeline has one bar per try.
		List<Double> done = values(dom, "done");
		assertEquals(3.0, done.get(done.size() - 1));
		assertEquals(7, count(dom, "<rect class=\"o-"));
		assertEquals(1, count(dom, "<rect class=\"o-unfinished\""));
		chromium.screenshot(page, Path.of("target", "report-known-trace.png"), 820, 1800);
	}

	static String cell(String dom, String key) {
		Matcher m = Pattern.compile("data-key=\"" + Pattern.quote(key) + "\">([^<]*)<").matcher(dom);
		assertTrue(m.find(), "no summary cell " + key);
		return m.group(1);
	}

	static List<Double> values(String dom, String series) {
		Matcher m = Pattern.compile("data-series=\"" + Pattern.quote(series) + "\" data-values=\"([^\"]*)\"").matcher(dom);
		assertTrue(m.find(), "no series " + series);
		return java.util.Arrays.stream(m.group(1).split(",")).map(Double::valueOf).toList();
	}

	static int count(String s, String part) {
		int n = 0;
		for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) n++;
		return n;
	}
}
