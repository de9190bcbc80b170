package org.parascope.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.parascope.ParascopeException;
import org.parascope.store.ObjectStore;
import org.parascope.trace.TraceReader;

/**
 * Where reports come from and go (docs/trace.md): a local run keeps its trace and report in
 * {@code <results>/parascope-runs/<time>/}; an AWS run's trace is under
 * {@code s3://AWS_BUCKET/parascope/runs/<APP_NAME>/trace/} and its report goes next to it.
 */
public final class Reports {

	public static final String LOCAL_RUNS = "parascope-runs";
	public static final String TRACE_FILE = "trace.jsonl", REPORT_FILE = "report.html";
	private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

	private Reports() {}

	/** A new run's folder in a local results folder. */
	public static Path newLocalRun(Path results, Instant now) {
		Path runs = results.resolve(LOCAL_RUNS);
		Path run = runs.resolve(STAMP.format(now));
		for (int i = 2; Files.exists(run); i++) run = runs.resolve(STAMP.format(now) + "-" + i);
		return run;
	}

	/** A report's name in AWS_BUCKET, made at {@code now}. */
	public static String reportKey(String runPrefix, Instant now) {
		return runPrefix + "report-" + STAMP.format(now) + ".html";
	}

	/**
	 * The trace of a local run: {@code source} is the trace file, its run's folder, or a results folder
	 * (its latest run).
	 */
	public static Path localTrace(Path source) {
		if (Files.isRegularFile(source)) return source;
		if (Files.isRegularFile(source.resolve(TRACE_FILE))) return source.resolve(TRACE_FILE);
		Path runs = source.resolve(LOCAL_RUNS);
		if (Files.isDirectory(runs)) {
			try (Stream<Path> list = Files.list(runs)) {
				Optional<Path> latest = list.filter(p -> Files.isRegularFile(p.resolve(TRACE_FILE)))
					.max(Comparator.comparing(p -> p.getFileName().toString()));
				if (latest.isPresent()) return latest.get().resolve(TRACE_FILE);
			}
			catch (IOException e) {
				throw new UncheckedIOException(e);
			}
		}
		throw new ParascopeException(source + ": no trace here (expected " + TRACE_FILE + ", or " + LOCAL_RUNS
			+ "/<time>/" + TRACE_FILE + " in a results folder of 'run --local')");
	}

	/** Reads a local trace into a builder; problems with lines become notes. */
	public static FiguresBuilder readLocal(Path trace, List<String> notes) {
		FiguresBuilder tries = new FiguresBuilder(null);
		TraceReader reader = TraceReader.readFile(trace, tries::add);
		noteProblems(reader, notes);
		return tries;
	}

	/** Reads a trace in a store, tries that started before {@code from} left out. */
	public static FiguresBuilder readStore(ObjectStore store, String prefix, Instant from, List<String> notes) {
		FiguresBuilder tries = new FiguresBuilder(from);
		Path scratch;
		try {
			scratch = Files.createTempDirectory("parascope-report-");
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		try {
			TraceReader reader = TraceReader.readStore(store, prefix, scratch, tries::add);
			noteProblems(reader, notes);
		}
		finally {
			scratch.toFile().delete();
		}
		return tries;
	}

	private static void noteProblems(TraceReader reader, List<String> notes) {
		if (reader.badLines() > 0) {
			List<String> first = new ArrayList<>(reader.problems());
			notes.add(reader.badLines() + " line(s) of the trace were not records and were left out: " + String.join("; ", first));
		}
	}

	/** Writes a page, replacing what was there. */
	public static void write(Path file, String html) {
		try {
			Files.createDirectories(file.toAbsolutePath().getParent());
			Files.writeString(file, html, StandardCharsets.UTF_8);
		}
		catch (IOException e) {
			throw new ParascopeException(file + ": cannot write the report: " + e.getMessage());
		}
	}
}
