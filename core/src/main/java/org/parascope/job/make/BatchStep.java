package org.parascope.job.make;

import java.util.Arrays;
import java.util.stream.Collectors;

import org.parascope.ParascopeException;

/**
 * The seven steps of Distributed-CellProfiler's run_batch_general.py, each with its defaults there:
 * what one task covers, the pipeline, LoadData CSV and batch file names, and whether its messages
 * carry an output_structure (docs/jobs.md, "Jobs from run_batch_general").
 */
public enum BatchStep {
	ZPROJ("zproj", "Zproj", Span.SITE, "Zproj.cppipe", "load_data_unprojected.csv", "Batch_data_zproj.h5", "Metadata_Plate"),
	ILLUM("illum", "Illum", Span.PLATE, "illum.cppipe", "load_data.csv", "Batch_data_illum.h5", null),
	QC("qc", "QC", Span.WELL, "qc.cppipe", "load_data.csv", "Batch_data_qc.h5", null),
	QC_PERSITE("qc_persite", "QC", Span.SITE, "qc.cppipe", "load_data.csv", "Batch_data_qc.h5", null),
	ASSAYDEV("assaydev", "AssayDev", Span.WELL, "assaydev.cppipe", "load_data_with_illum.csv", "Batch_data_assaydev.h5", null),
	ASSAYDEV_PERSITE("assaydev_persite", "AssayDev", Span.SITE, "assaydev.cppipe", "load_data_with_illum.csv",
		"Batch_data_assaydev.h5", null),
	ANALYSIS("analysis", "Analysis", Span.SITE, "analysis.cppipe", "load_data_with_illum.csv", "Batch_data_analysis.h5",
		"Metadata_Plate/analysis/Metadata_Plate-Metadata_Well-Metadata_Site");

	/** What one task covers: a plate, a well of a plate, or a site of a well. */
	public enum Span { PLATE, WELL, SITE }

	private final String id;
	private final String queueSuffix;
	private final Span span;
	private final String pipeline;
	private final String dataFile;
	private final String batchFile;
	private final String outputStructure;

	BatchStep(String id, String queueSuffix, Span span, String pipeline, String dataFile, String batchFile,
		String outputStructure)
	{
		this.id = id;
		this.queueSuffix = queueSuffix;
		this.span = span;
		this.pipeline = pipeline;
		this.dataFile = dataFile;
		this.batchFile = batchFile;
		this.outputStructure = outputStructure;
	}

	public static BatchStep of(String id) {
		for (BatchStep step : values()) if (step.id.equals(id)) return step;
		throw new ParascopeException("STEP: expected one of " + Arrays.stream(values()).map(s -> s.id)
			.collect(Collectors.joining(", ")) + ", got '" + id + "'");
	}

	public String id() {
		return id;
	}

	/** run_batch_general sends to the queue {@code <identifier>_<suffix>Queue}; Parascope names its job so. */
	public String queueSuffix() {
		return queueSuffix;
	}

	public Span span() {
		return span;
	}

	String defaultPipeline() {
		return pipeline;
	}

	String defaultDataFile() {
		return dataFile;
	}

	String defaultBatchFile() {
		return batchFile;
	}

	/** Only zproj and analysis messages carry an output_structure; the other steps ignore --output-structure. */
	boolean hasOutputStructure() {
		return outputStructure != null;
	}

	String defaultOutputStructure() {
		return outputStructure;
	}
}
