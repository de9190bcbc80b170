package org.parascope.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.parascope.ParascopeException;
import org.parascope.job.JobName;
import org.parascope.job.make.LoadDataGroups;
import org.parascope.job.make.LoadDataJob;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "from-loaddata", mixinStandardHelpOptions = true, sortOptions = false,
	description = { "Makes a CellProfiler job with one task per group of a LoadData CSV: the groups LoadData forms "
		+ "when it groups by the --group-by metadata, with the values 'cellprofiler -g' must name (a column of integers "
		+ "gives 1 for 01), in CellProfiler's order. Writes Distributed-CellProfiler's format (or --format native)." },
	footer = { "", "Example:", "  parascope job from-loaddata load_data.csv --group-by Metadata_Plate,Metadata_Well "
		+ "--pipeline projects/x/analysis.cppipe --data-file projects/x/load_data.csv --output projects/x/results -o job.json" })
final class JobFromLoadDataCommand implements Callable<Integer> {

	@ParentCommand
	JobCommand job;

	@Spec
	CommandSpec spec;

	@Parameters(paramLabel = "CSV", description = "The LoadData CSV (read here; its key in the bucket is --data-file).")
	Path csv;

	@Option(names = "--group-by", required = true, paramLabel = "NAMES", description = "Metadata to group by, e.g. "
		+ "Metadata_Plate,Metadata_Well ('Metadata_' may be left out).")
	String groupBy;

	@Option(names = "--pipeline", required = true, paramLabel = "KEY", description = "The pipeline's key in WORKSPACE_BUCKET.")
	String pipeline;

	@Option(names = "--data-file", required = true, paramLabel = "KEY", description = "The CSV's key in WORKSPACE_BUCKET.")
	String dataFile;

	@Option(names = "--input", paramLabel = "PREFIX", description = "CellProfiler's input folder (-i).")
	String input;

	@Option(names = "--output", required = true, paramLabel = "PREFIX", description = "Where results go.")
	String output;

	@Option(names = "--output-structure", paramLabel = "STRUCTURE", description = "Each task's folder below --output, "
		+ "e.g. Metadata_Plate/Metadata_Well (default: the group's values joined with '-').")
	String outputStructure;

	@Option(names = "--format", defaultValue = "dcp", paramLabel = "FORMAT", description = "dcp (default) or native.")
	String format;

	@Option(names = "--name", paramLabel = "NAME", description = "With --format native: the job's name (default: the CSV's).")
	String name;

	@Option(names = { "-o", "--output-file" }, paramLabel = "FILE", description = "Where to write the job (default: standard output).")
	Path file;

	@Override
	public Integer call() {
		List<String> keys = LoadDataGroups.columns(Arrays.asList(groupBy.split(",")));
		List<Map<String, String>> groups = LoadDataGroups.read(job.main.workDir().resolve(csv), keys);
		LoadDataJob.Keys jobKeys = new LoadDataJob.Keys(pipeline, dataFile, input, output, outputStructure);
		Path target = file == null ? null : job.main.workDir().resolve(file);
		switch (format) {
			case "dcp" -> LoadDataJob.writeDistributedCellProfiler(target, spec.commandLine().getOut(), jobKeys, groups);
			case "native" -> {
				if (target == null) throw new ParascopeException("--format native: give -o FILE");
				String base = String.valueOf(csv.getFileName()).replaceFirst("\\.[^.]*$", "");
				LoadDataJob.writeNative(target, name != null ? JobName.check(name) : JobName.from(base), jobKeys, groups);
			}
			default -> throw new ParascopeException("--format: expected dcp or native, got '" + format + "'");
		}
		if (target != null) spec.commandLine().getErr().println("Wrote " + groups.size() + " task" + (groups.size() == 1 ? "" : "s") + " to " + file + ".");
		return Main.OK;
	}
}
