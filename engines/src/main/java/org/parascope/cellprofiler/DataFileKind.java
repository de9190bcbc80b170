package org.parascope.cellprofiler;

import java.util.Locale;

import org.parascope.ParascopeException;

/** What a DCP job's data_file is, by its name's ending. */
enum DataFileKind {
	/** A LoadData .csv: one row per image set, {@code --data-file}. */
	LOAD_DATA,
	/** A .txt list of one file or URL per line for the Images module, {@code --file-list}. */
	FILE_LIST,
	/** A batch .h5 from CreateBatchFiles: it carries its image sets itself. */
	BATCH;

	static DataFileKind of(String name) {
		String lower = name.toLowerCase(Locale.ROOT);
		if (lower.endsWith(".csv")) return LOAD_DATA;
		if (lower.endsWith(".txt")) return FILE_LIST;
		if (lower.endsWith(".h5")) return BATCH;
		throw new ParascopeException("data_file " + name + ": expected a LoadData .csv, a .txt file list or a"
			+ " batch .h5");
	}
}
