package org.parascope.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import org.parascope.Parascope;
import org.parascope.ParascopeException;
import org.parascope.job.JobName;
import org.parascope.job.make.BatchJob;
import org.parascope.job.make.BatchJobFile;
import org.parascope.job.make.BatchOptions;
import org.parascope.job.make.BatchStep;
import org.parascope.submit.Submitter;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "batch", mixinStandardHelpOptions = true, sortOptions = false,
	description = { "Makes the tasks Distributed-CellProfiler's run_batch_general.py makes, from the same arguments and "
		+ "with the same defaults for each step: a plate (illum), a well (qc, assaydev) or a site of a well (zproj, "
		+ "qc_persite, assaydev_persite, analysis) per task. Lists are comma-separated, without spaces.",
		"--print writes each task's message as that script sends it (JSON, one per line); -o writes a job file in "
			+ "Parascope's format; --submit sends the tasks to the config's queue (the job file goes to -o FILE, else "
			+ "files/NAME.json). Where the script has bugs this does what it meant: docs/jobs.md." },
	footer = { "", "Example:", "  parascope job batch analysis cpg0000-jump-pilot 2020_11_04_CPJUMP1 BR00116991,BR00116992 "
		+ "--path-style cpg --source broad --print" })
final class JobBatchCommand implements Callable<Integer> {

	@ParentCommand
	JobCommand job;

	@Spec
	CommandSpec spec;

	@Parameters(index = "0", paramLabel = "STEP", description = "zproj, illum, qc, qc_persite, assaydev, assaydev_persite or analysis.")
	String step;

	@Parameters(index = "1", paramLabel = "IDENTIFIER", description = "The project identifier, e.g. cpg0000-jump-pilot.")
	String identifier;

	@Parameters(index = "2", paramLabel = "BATCH", description = "The batch, e.g. 2020_11_04_CPJUMP1.")
	String batch;

	@Parameters(index = "3", paramLabel = "PLATES", description = "The plates, e.g. Plate1,Plate2.")
	String plates;

	@Option(names = "--path-style", defaultValue = "default", description = "default or cpg (the Cell Painting Gallery's layout).")
	String pathStyle;

	@Option(names = "--source", defaultValue = "", description = "With --path-style cpg: the source below the identifier.")
	String source;

	@Option(names = "--plate-format", defaultValue = "", description = "96 or 384: sets rows and columns (over --rows, --columns).")
	String plateFormat;

	@Option(names = "--rows", defaultValue = "A,B,C,D,E,F,G,H,I,J,K,L,M,N,O,P", description = "Rows (default: A to P).")
	String rows;

	@Option(names = "--columns", defaultValue = "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24",
		description = "Columns, numbers (default: 1 to 24).")
	String columns;

	@Option(names = "--wells", defaultValue = "", description = "Wells, e.g. C02,D04 (over rows and columns).")
	String wells;

	@Option(names = "--sites", defaultValue = "1,2,3,4,5,6,7,8,9", description = "Sites (default: 1 to 9).")
	String sites;

	@Option(names = "--no-well-digit-pad", description = "Wells as A1, not A01 (rows and columns only).")
	boolean noWellDigitPad;

	@Option(names = "--pipeline", defaultValue = "", description = "Pipeline name (default: the step's, e.g. analysis.cppipe).")
	String pipeline;

	@Option(names = "--pipeline-path", defaultValue = "", description = "Folder of the pipelines.")
	String pipelinePath;

	@Option(names = "--input-path", defaultValue = "", description = "CellProfiler's input folder.")
	String inputPath;

	@Option(names = "--output-structure", defaultValue = "", description = "Output structure (zproj and analysis only).")
	String outputStructure;

	@Option(names = "--output-path", defaultValue = "", description = "Output folder.")
	String outputPath;

	@Option(names = "--datafile-name", defaultValue = "", description = "LoadData CSV name (default: the step's).")
	String datafileName;

	@Option(names = "--datafile-path", defaultValue = "", description = "Folder of the plates' LoadData folders.")
	String datafilePath;

	@Option(names = "--use-batch", description = "Use CellProfiler .h5 batch files, not pipeline and CSV.")
	boolean useBatch;

	@Option(names = "--batchfile-name", defaultValue = "", description = "Batch file name (default: the step's).")
	String batchfileName;

	@Option(names = "--batchfile-path", defaultValue = "", description = "Folder of the batch files.")
	String batchfilePath;

	@Option(names = "--print", description = "Write each task's message as run_batch_general sends it, one per line.")
	boolean print;

	@Option(names = { "-o", "--output" }, paramLabel = "FILE", description = "Write a job file (Parascope's format).")
	Path output;

	@Option(names = "--submit", description = "Send the tasks to the config's queue (the normal 'parascope submit').")
	boolean submit;

	@Option(names = "--name", paramLabel = "NAME", description = "The job's name (default: IDENTIFIER_Step, as the script's queue).")
	String name;

	@Option(names = "--force", description = "With --submit: send even if the same job was submitted before.")
	boolean force;

	@Override
	public Integer call() throws IOException {
		if (!print && output == null && !submit) {
			throw new ParascopeException("job batch: say what to make: --print, -o FILE and/or --submit");
		}
		BatchJob tasks = BatchJob.of(new BatchOptions(BatchStep.of(step), identifier, batch, split(plates), pathStyle, source,
			plateFormat, split(rows), split(columns), split(wells), split(sites), !noWellDigitPad, pipeline, pipelinePath,
			inputPath, outputStructure, outputPath, datafileName, datafilePath, useBatch, batchfileName, batchfilePath));
		String jobName = name != null ? JobName.check(name)
			: JobName.from(identifier + "_" + tasks.options().step().queueSuffix());
		Main main = job.main;
		Path file = output != null ? main.workDir().resolve(output)
			: submit ? main.workDir().resolve("files").resolve(jobName + ".json") : null;
		if (file != null) BatchJobFile.write(tasks, jobName, file);
		if (print) {
			BufferedWriter out = new BufferedWriter(spec.commandLine().getOut(), 1 << 16);
			try {
				tasks.forEach(m -> {
					try {
						out.write(m.body());
						out.write('\n');
					}
					catch (IOException e) {
						throw new UncheckedIOException(e);
					}
				});
			}
			finally {
				out.flush();
			}
		}
		if (submit) {
			try (Parascope parascope = main.parascope()) {
				Submitter.Plan plan = parascope.prepareSubmit(file, main.workDir(), force);
				SendProgress progress = SendProgress.forConsole(spec.commandLine().getErr(), true);
				Submitter.Result result;
				try {
					result = parascope.submit(plan, Submitter.DEFAULT_SENDERS, progress);
				}
				finally {
					progress.finish();
				}
				spec.commandLine().getErr().printf("Sent %d tasks of %s to queue %s.%n", result.sent(), main.workDir().relativize(file),
					plan.target().queueName());
				long twice = result.record().tasksPossiblyDuplicated();
				if (twice > 0) {
					spec.commandLine().getErr().printf("%d task(s) may be queued twice (a request of them went unanswered and was sent again): "
						+ "possiblyDuplicatedTasks in %s (docs/queue.md).%n", twice, plan.manifest());
				}
			}
		}
		return Main.OK;
	}

	/** Python's {@code s.split(",")}, as the script's argument types: "" is one empty item. */
	static List<String> split(String text) {
		return Arrays.asList(text.split(",", -1));
	}
}
