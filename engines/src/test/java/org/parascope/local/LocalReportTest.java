package org.parascope.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parascope.cli.Outcome;
import org.parascope.report.Chromium;
import org.parascope.trace.TraceReader;
import org.parascope.trace.TraceRecord;

/** run --local leaves a trace and a report beside its results; the report opens in Debian's chromium. */
class LocalReportTest {

	@TempDir
	Path dir;

	@Test
	void aLocalRunsReportShowsItsTasksTheFailedOnesReasonAndItsProgress() throws Exception {
		Files.writeString(dir.resolve("m.ijm"), """
			#@ String image
			if (image == "bad") run("No Such Command Anywhere");
			File.saveString(image, output + "/" + image + ".txt");
			""");
		Path job = Files.writeString(dir.resolve("job.json"), """
			{"parascope_job": 1, "name": "reported", "engine": "fiji", "script": "m.ijm", "output": "out",
			 "tasks": [{"metadata": {"image": "a"}}, {"metadata": {"image": "b"}}, {"metadata": {"image": "bad"}},
			           {"metadata": {"image": "c"}}]}
			""");
		Files.writeString(dir.resolve("parascope.yml"), "JOB_RETRIES: 2\n");
		Outcome run = Outcome.run(Map.of(), "--config", dir.resolve("parascope.yml").toString(), "run", "--local",
			job.toString(), "--workers", "2", "--output", dir.resolve("results").toString());
		assertEquals(1, run.exit(), run.out());
		Matcher printed = Pattern.compile("(?m)^Report: (.+)$").matcher(run.out());
		assertTrue(printed.find(), "the path is printed\n" + run.out());
		Path page = Path.of(printed.group(1));
		assertEquals(dir.resolve("results/parascope-runs"), page.getParent().getParent());

		// The trace beside it: one record per try, readable line by line.
		List<TraceRecord> tries = new java.util.ArrayList<>();
		TraceReader.readFile(page.resolveSibling("trace.jsonl"), tries::add);
		assertEquals(5, tries.size(), "a, b, c once, bad twice: " + tries);
		assertTrue(tries.stream().allMatch(t -> t.cpuSeconds() != null && t.peakMemoryMiB() > 0 && t.end() != null));

		Chromium chromium = Chromium.installed();
		String dom = chromium.dumpDom(page, 2000);
		assertEquals("4", cell(dom, "tasks"));
		assertEquals("3", cell(dom, "tasks succeeded"));
		assertEquals("1", cell(dom, "tasks failed"));
		assertEquals("2", cell(dom, "tries failed"));
		assertTrue(Pattern.compile("macro error: Unrecognized command: \"No Such Command Anywhere\"[^<]*</td><td>2</td><td>image=bad<")
			.matcher(dom).find(), "the failed task's reason, its two tries and its name");
		List<Double> done = series(dom, "done");
		assertEquals(3.0, done.get(done.size() - 1), "the progress curve ends with 3 done");
		assertTrue(done.stream().allMatch(d -> d >= 0 && d <= 3), done.toString());
		assertEquals(5, count(dom, "<rect class=\"o-"), "one bar per try in the timeline");
		chromium.screenshot(page, Path.of("target", "report-local-run.png"), 820, 1500);
	}

	static String cell(String dom, String key) {
		Matcher m = Pattern.compile("data-key=\"" + Pattern.quote(key) + "\">([^<]*)<").matcher(dom);
		assertTrue(m.find(), "no summary cell " + key);
		return m.group(1);
	}

	static List<Double> series(String dom, String name) {
		Matcher m = Pattern.compile("data-series=\"" + Pattern.quote(name) + "\" data-values=\"([^\"]*)\"").matcher(dom);
		assertTrue(m.find(), "no series " + name);
		return Arrays.stream(m.group(1).split(",")).map(Double::valueOf).toList();
	}

	static int count(String s, String part) {
		int n = 0;
		for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) n++;
		return n;
	}
}
