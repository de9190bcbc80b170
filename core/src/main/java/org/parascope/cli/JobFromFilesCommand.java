package org.parascope.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

import org.parascope.Parascope;
import org.parascope.ParascopeException;
import org.parascope.job.Engine;
import org.parascope.job.JobName;
import org.parascope.job.make.FileGrouping;
import org.parascope.job.make.FileListing;
import org.parascope.job.make.FilesJob;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "from-files", mixinStandardHelpOptions = true, sortOptions = false,
	description = { "Makes a job of the files in a folder or below an S3 prefix: one task per file (default), N files per "
		+ "task (--per N) or one per value of a regular expression's named groups in the file names (--pattern). Each "
		+ "task's metadata holds its grouping values and 'files': its files' keys, comma-separated.",
		"Inputs are keys in SOURCE_BUCKET: for a folder, --prefix followed by each file's path below it; for s3://BUCKET/PREFIX, "
			+ "the objects' keys (listing needs AWS credentials)." },
	footer = { "", "Example:", "  parascope job from-files images/ --pattern '(?<well>[A-P][0-9]{2})_s(?<site>[0-9]+)' "
		+ "--script macros/count.ijm --output results --prefix projects/x/images/ -o job.json" })
final class JobFromFilesCommand implements Callable<Integer> {

	@ParentCommand
	JobCommand job;

	@Spec
	CommandSpec spec;

	@Parameters(paramLabel = "DIR|s3://BUCKET/PREFIX", description = "Where the files are.")
	String source;

	@Option(names = "--glob", defaultValue = "*", paramLabel = "GLOB", description = "Only files whose path below the source "
		+ "matches, e.g. '*.tif' or '**/*.tif' (default: all; hidden files are left out).")
	String glob;

	@Option(names = "--per", paramLabel = "N", description = "N files per task, in name order.")
	Integer per;

	@Option(names = "--pattern", paramLabel = "REGEX", description = "Group by the named groups found in each file name, "
		+ "e.g. (?<well>[A-P][0-9]{2})_s(?<site>[0-9]+); files it does not match are left out.")
	String pattern;

	@Option(names = "--script", paramLabel = "KEY", description = "The macro, script or pipeline in WORKSPACE_BUCKET "
		+ "(native format; required there).")
	String script;

	@Option(names = "--engine", defaultValue = "fiji", paramLabel = "ENGINE", description = "fiji (default) or cellprofiler.")
	String engine;

	@Option(names = "--output", required = true, paramLabel = "PREFIX", description = "Where results go.")
	String output;

	@Option(names = "--prefix", defaultValue = "", paramLabel = "KEY_PREFIX", description = "For a folder: put before each "
		+ "file's path to make its key in SOURCE_BUCKET (e.g. projects/x/images/).")
	String prefix;

	@Option(names = "--parameter", paramLabel = "NAME=VALUE", description = "A value given to every task (repeatable).")
	List<String> parameters = new ArrayList<>();

	@Option(names = "--format", defaultValue = "native", paramLabel = "FORMAT", description = "native (default) or df "
		+ "(Distributed-Fiji: its scripts find the files from input_file_location and the metadata).")
	String format;

	@Option(names = "--name", paramLabel = "NAME", description = "The job's name (default: the folder's).")
	String name;

	@Option(names = { "-o", "--output-file" }, required = true, paramLabel = "FILE", description = "Where to write the job.")
	Path file;

	@Override
	public Integer call() {
		if (per != null && pattern != null) throw new ParascopeException("from-files: --per and --pattern exclude each other");
		Map<String, String> shared = new LinkedHashMap<>();
		for (String p : parameters) {
			int eq = p.indexOf('=');
			if (eq <= 0) throw new ParascopeException("--parameter: expected NAME=VALUE, got '" + p + "'");
			shared.put(p.substring(0, eq), p.substring(eq + 1));
		}
		FileListing listing;
		if (source.startsWith("s3://")) {
			try (Parascope parascope = job.main.parascope()) {
				listing = parascope.listFiles(source, glob);
			}
		} else {
			listing = FileListing.ofFolder(job.main.workDir().resolve(source), glob);
		}
		FileGrouping grouping = pattern != null ? FileGrouping.BY_PATTERN : per != null ? FileGrouping.PER_N_FILES : FileGrouping.PER_FILE;
		List<FileGrouping.Group> groups = grouping.groups(listing.files(), per == null ? 1 : per, pattern);
		// Local files are named by their path below the folder; the bucket's objects by their keys already.
		Function<String, String> key = listing.inBucket() ? f -> listing.prefix() + f : f -> prefix + f;
		Path target = job.main.workDir().resolve(file);
		switch (format) {
			case "native" -> {
				if (script == null) throw new ParascopeException("from-files: --script KEY is needed (the native format names it)");
				String jobName = name != null ? JobName.check(name) : JobName.from(listing.name());
				FilesJob.writeNative(target, jobName, Engine.of(engine), script, output, shared, groups, key);
			}
			case "df" -> FilesJob.writeDistributedFiji(target, listing.inBucket() ? listing.prefix() : prefix, output, shared, groups, key);
			default -> throw new ParascopeException("--format: expected native or df, got '" + format + "'");
		}
		spec.commandLine().getErr().println("Wrote " + groups.size() + " task" + (groups.size() == 1 ? "" : "s") + " of " + listing.files().size()
			+ " files to " + file + ".");
		return Main.OK;
	}
}
