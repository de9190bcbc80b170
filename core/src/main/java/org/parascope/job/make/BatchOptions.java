package org.parascope.job.make;

import java.util.List;

/**
 * The arguments of run_batch_general.py, as its command line takes them. An empty text or list means
 * "not given" (Python's {@code if not x}): the step's default applies.
 *
 * @param plates      PLATES split on commas
 * @param plateFormat "", "96" or "384"; overrides rows and columns
 * @param wells       given wells; when empty (or all empty texts) rows x columns are used
 * @param columns     numbers, formatted with two digits unless {@code wellDigitPad} is false
 */
public record BatchOptions(
	BatchStep step,
	String identifier,
	String batch,
	List<String> plates,
	String pathStyle,
	String source,
	String plateFormat,
	List<String> rows,
	List<String> columns,
	List<String> wells,
	List<String> sites,
	boolean wellDigitPad,
	String pipeline,
	String pipelinePath,
	String inputPath,
	String outputStructure,
	String outputPath,
	String datafileName,
	String datafilePath,
	boolean useBatch,
	String batchfileName,
	String batchfilePath)
{
	/** run_batch_general's command-line defaults: rows A-P, columns 1-24, sites 1-9. */
	public static final List<String> ROWS = List.of("A,B,C,D,E,F,G,H,I,J,K,L,M,N,O,P".split(","));
	public static final List<String> COLUMNS = List.of("1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24".split(","));
	public static final List<String> SITES = List.of("1,2,3,4,5,6,7,8,9".split(","));

	public BatchOptions {
		plates = List.copyOf(plates);
		rows = List.copyOf(rows);
		columns = List.copyOf(columns);
		wells = List.copyOf(wells);
		sites = List.copyOf(sites);
	}

	/** The defaults for a step and its three required arguments. */
	public static BatchOptions of(BatchStep step, String identifier, String batch, List<String> plates) {
		return new BatchOptions(step, identifier, batch, plates, "default", "", "", ROWS, COLUMNS, List.of(), SITES, true,
			"", "", "", "", "", "", "", false, "", "");
	}
}
