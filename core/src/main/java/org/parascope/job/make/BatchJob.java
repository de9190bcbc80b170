package org.parascope.job.make;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.parascope.ParascopeException;
import org.parascope.job.make.BatchStep.Span;

/**
 * The tasks run_batch_general.py makes for a step, in its order (plate, then row and column or the
 * given wells, then site), produced one at a time so that a million tasks take no more memory than
 * one. Where that script fails or does something it evidently did not mean, this does what it meant;
 * docs/jobs.md lists each difference.
 */
public final class BatchJob {

	private final BatchOptions options;
	private final String pipeline;
	private final String output;
	private final String outputStructure;
	private final String input;
	/** Null when each plate has its own data file (not --use-batch). */
	private final String sharedDataFile;
	private final String dataFolder;
	private final String dataFileName;
	private final List<String> wells;

	private BatchJob(BatchOptions o, List<String> wells) {
		this.options = o;
		this.wells = wells;
		BatchStep step = o.step();
		PathStyle style = PathStyle.of(o.pathStyle());
		String pipelineFolder = or(o.pipelinePath(), style.pipelines(o));
		String batchFolder = or(o.batchfilePath(), style.batchFiles(o));
		this.input = or(o.inputPath(), style.input(o));
		this.dataFolder = or(o.datafilePath(), style.dataFiles(o));
		this.output = or(o.outputPath(), style.output(step, o));
		this.outputStructure = step.hasOutputStructure() ? or(o.outputStructure(), step.defaultOutputStructure()) : null;
		if (o.useBatch()) {
			// A batch file holds pipeline and image list: both keys name it.
			String batchFile = PosixPath.join(batchFolder, or(o.batchfileName(), step.defaultBatchFile()));
			this.pipeline = batchFile;
			this.sharedDataFile = batchFile;
			this.dataFileName = null;
		} else {
			this.pipeline = PosixPath.join(pipelineFolder, or(o.pipeline(), step.defaultPipeline()));
			this.sharedDataFile = null;
			this.dataFileName = or(o.datafileName(), step.defaultDataFile());
		}
	}

	/** Checks every option at once (all problems in one error) before any task is made. */
	public static BatchJob of(BatchOptions o) {
		List<String> problems = new ArrayList<>();
		try {
			PathStyle.of(o.pathStyle());
		}
		catch (ParascopeException e) {
			problems.add(e.getMessage());
		}
		if (o.plates().isEmpty()) problems.add("PLATES: no plate given");
		List<String> rows = o.rows(), columns = o.columns();
		if (!o.plateFormat().isEmpty()) {
			Optional<BigInteger> format = PythonText.parseInt(o.plateFormat());
			if (format.isPresent() && format.get().intValue() == 384 && format.get().bitLength() < 32) {
				rows = BatchOptions.ROWS;
				columns = BatchOptions.COLUMNS;
			} else if (format.isPresent() && format.get().intValue() == 96 && format.get().bitLength() < 32) {
				rows = BatchOptions.ROWS.subList(0, 8);
				columns = BatchOptions.COLUMNS.subList(0, 12);
			} else {
				problems.add("--plate-format: expected 96 or 384, got '" + o.plateFormat() + "'");
			}
		}
		List<String> wells = new ArrayList<>();
		boolean givenWells = o.wells().stream().anyMatch(w -> !w.isEmpty());
		if (givenWells) {
			wells.addAll(o.wells());
		} else if (o.step().span() != Span.PLATE) {
			// As run_batch_general: row letter, then the column as a number, zero-padded to two digits unless told not to.
			int width = o.wellDigitPad() ? 2 : 1;
			List<String> badColumns = new ArrayList<>();
			List<BigInteger> numbers = new ArrayList<>();
			for (String column : columns) {
				Optional<BigInteger> number = PythonText.parseInt(column);
				if (number.isEmpty()) badColumns.add("'" + column + "'");
				else numbers.add(number.get());
			}
			if (!badColumns.isEmpty()) problems.add("--columns: expected whole numbers, got " + String.join(", ", badColumns));
			for (String row : rows) for (BigInteger n : numbers) wells.add(row + padded(n, width));
		}
		if (!problems.isEmpty()) throw new ParascopeException("job batch: " + String.join("; ", problems));
		return new BatchJob(o, List.copyOf(wells));
	}

	/** Python's format(n, "0Nd"): the sign, then the digits zero-padded to N characters in all. */
	private static String padded(BigInteger n, int width) {
		String digits = n.abs().toString();
		String sign = n.signum() < 0 ? "-" : "";
		StringBuilder b = new StringBuilder(sign);
		for (int i = sign.length() + digits.length(); i < width; i++) b.append('0');
		return b.append(digits).toString();
	}

	private static String or(String given, String fallback) {
		return given == null || given.isEmpty() ? fallback : given;
	}

	public BatchOptions options() {
		return options;
	}

	/** How many tasks {@link #forEach} makes. */
	public long taskCount() {
		long perPlate = switch (options.step().span()) {
			case PLATE -> 1;
			case WELL -> wells.size();
			case SITE -> (long) wells.size() * options.sites().size();
		};
		return perPlate * options.plates().size();
	}

	/** Each task's message, in run_batch_general's order. */
	public void forEach(Consumer<BatchMessage> sink) {
		Span span = options.step().span();
		for (String plate : options.plates()) {
			String dataFile = sharedDataFile != null ? sharedDataFile : PosixPath.join(dataFolder, plate, dataFileName);
			if (span == Span.PLATE) {
				sink.accept(message(dataFile, plate, null, null));
				continue;
			}
			for (String well : wells) {
				if (span == Span.WELL) sink.accept(message(dataFile, plate, well, null));
				else for (String site : options.sites()) sink.accept(message(dataFile, plate, well, site));
			}
		}
	}

	private BatchMessage message(String dataFile, String plate, String well, String site) {
		Map<String, String> metadata = new LinkedHashMap<>(4);
		metadata.put("Metadata_Plate", plate);
		if (well != null) metadata.put("Metadata_Well", well);
		if (site != null) metadata.put("Metadata_Site", site);
		return new BatchMessage(metadata, pipeline, output, outputStructure, input, dataFile);
	}

	/** The pipeline (or batch file) key every task names. */
	public String pipeline() {
		return pipeline;
	}

	public String output() {
		return output;
	}

	/** Null for the steps whose messages carry none. */
	public String outputStructure() {
		return outputStructure;
	}

	public String input() {
		return input;
	}

	/** The data file all tasks share (a batch file), or null when each plate has its own. */
	public String sharedDataFile() {
		return sharedDataFile;
	}
}
