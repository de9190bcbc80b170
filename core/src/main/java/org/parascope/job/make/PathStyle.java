package org.parascope.job.make;

import org.parascope.ParascopeException;

/**
 * run_batch_general's two bucket layouts: "default" (everything under projects/IDENTIFIER) and "cpg"
 * (the Cell Painting Gallery's IDENTIFIER/SOURCE/...). Keys are joined as Python's posixpath.join does.
 */
enum PathStyle {
	DEFAULT, CPG;

	static PathStyle of(String id) {
		return switch (id) {
			case "default" -> DEFAULT;
			case "cpg" -> CPG;
			default -> throw new ParascopeException("--path-style: expected default or cpg, got '" + id + "'");
		};
	}

	String pipelines(BatchOptions o) {
		return this == CPG ? PosixPath.join(o.identifier(), o.source(), "workspace", "pipelines", o.batch())
			: PosixPath.join("projects", o.identifier(), "workspace", "pipelines", o.batch());
	}

	/** Where a step writes: images_projected and illum beside the images, the rest in the workspace. */
	String output(BatchStep step, BatchOptions o) {
		String root = this == CPG ? PosixPath.join(o.identifier(), o.source()) : PosixPath.join("projects", o.identifier());
		return switch (step) {
			case ZPROJ -> this == CPG ? PosixPath.join(root, "images", o.batch(), "images_projected")
				: PosixPath.join(root, o.batch(), "images_projected");
			case ILLUM -> this == CPG ? PosixPath.join(root, "images", o.batch(), "illum") : PosixPath.join(root, o.batch(), "illum");
			case QC, QC_PERSITE -> PosixPath.join(root, "workspace", "qc", o.batch(), "results");
			case ASSAYDEV, ASSAYDEV_PERSITE -> PosixPath.join(root, "workspace", "assaydev", o.batch());
			case ANALYSIS -> PosixPath.join(root, "workspace", "analysis", o.batch());
		};
	}

	String input(BatchOptions o) {
		return this == CPG ? PosixPath.join(o.identifier(), o.source(), "workspace", "qc", o.batch(), "rules")
			: PosixPath.join("projects", o.identifier(), "workspace", "qc", o.batch(), "rules");
	}

	String dataFiles(BatchOptions o) {
		return this == CPG ? PosixPath.join(o.identifier(), o.source(), "workspace", "load_data_csv", o.batch())
			: PosixPath.join("projects", o.identifier(), "workspace", "load_data_csv", o.batch());
	}

	/** The Cell Painting Gallery has no batch file folder: "" puts batch files at the bucket's root. */
	String batchFiles(BatchOptions o) {
		return this == CPG ? "" : PosixPath.join("projects", o.identifier(), "workspace", "batchfiles", o.batch());
	}
}
