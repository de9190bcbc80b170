package org.parascope.plugin;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import ij.ImagePlus;
import ij.WindowManager;

import org.parascope.ParascopeException;
import org.parascope.job.JobName;
import org.parascope.job.make.FileGrouping;
import org.scijava.plugin.Parameter;

/**
 * The inputs Submit Open Dataset and Run Locally share: which files (the open image's, else a folder and
 * a pattern), the macro or script each task runs with its parameters, and how files are grouped into
 * tasks. Job-specific inputs are not remembered between runs (persist = false).
 */
abstract class DatasetCommand extends ParascopeCommand {

	/** Fiji fills this with the active image; when none is open, {@link #folder} and {@link #pattern} say which files. */
	@Parameter(label = "Image", required = false, persist = false)
	ImagePlus image;

	@Parameter(label = "Macro or script run on each task", persist = false, required = false,
		description = "An ImageJ macro (.ijm); its #@ parameters get input, output, files, the grouping values and the parameters below.")
	File script;

	@Parameter(label = "Its parameters (name=value, ...)", required = false, persist = false)
	String parameters = "";

	@Parameter(label = "Folder (when no image is open)", style = "directory", required = false, persist = false)
	File folder;

	@Parameter(label = "File pattern in the folder", required = false, persist = false)
	String pattern = "*.tif";

	@Parameter(label = "Tasks", choices = { "one task per file", "N files per task", "by file name pattern" })
	String grouping = FileGrouping.PER_FILE.label();

	@Parameter(label = "Files per task (N)", min = "1")
	int per = 1;

	@Parameter(label = "File name pattern (regex with named groups)", required = false, persist = false,
		description = "e.g. (?<well>[A-P][0-9]{2})_s(?<site>[0-9]+): one task per well and site")
	String regex = "";

	@Parameter(label = "Job name", required = false, persist = false)
	String name = "";

	/** Checked inputs, before anything is uploaded or run. */
	record Prepared(Dataset dataset, List<FileGrouping.Group> groups, Path script, Map<String, String> parameters, String job) {}

	Prepared prepare() {
		if (script == null) throw new ParascopeException("script: the macro or script to run on each task is missing");
		if (!script.isFile()) throw new ParascopeException("script: " + script + " is not a file");
		Map<String, String> shared = DatasetJob.parameters(parameters);
		Dataset dataset = dataset();
		// Grouped by their paths below the dataset's folder, the keys a job file names them by.
		List<String> files = dataset.files().stream().map(dataset::relative).toList();
		List<FileGrouping.Group> groups = FileGrouping.of(grouping).groups(files, per, regex);
		String job = name == null || name.isBlank() ? JobName.from(dataset.name() + "-" + baseName(script.getName()))
			: JobName.check(name.strip());
		return new Prepared(dataset, groups, script.toPath().toAbsolutePath(), shared, job);
	}

	/** A folder given explicitly wins; else the image given, else Fiji's current image. */
	private Dataset dataset() {
		if (folder != null) return Dataset.of(folder.toPath().toAbsolutePath(), pattern == null ? "*" : pattern);
		ImagePlus open = image != null ? image : WindowManager.getCurrentImage();
		if (open == null) throw new ParascopeException("no image is open and no folder was given: open an image of the "
			+ "dataset, or give folder=... and pattern=...");
		return Dataset.of(open);
	}

	private static String baseName(String file) {
		int dot = file.lastIndexOf('.');
		return dot > 0 ? file.substring(0, dot) : file;
	}
}
