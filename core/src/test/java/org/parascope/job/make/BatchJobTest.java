package org.parascope.job.make;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.parascope.ParascopeException;

/**
 * The messages of each run_batch_general step and option, as Distributed-CellProfiler's documentation
 * (step_2_submit_jobs.md) and the script define them. Every expected body here was also compared,
 * byte for byte and in order, with what the real script sent to an SQS emulator (docs/jobs.md).
 */
class BatchJobTest {

	/** One dynamic test per line of {@code table}, its cells split on {@code separator} and trimmed. */
	private static Stream<DynamicTest> each(String table, String separator, Consumer<String[]> test) {
		return table.lines().filter(l -> !l.isBlank()).map(l -> {
			String[] cells = l.split(java.util.regex.Pattern.quote(separator));
			for (int i = 0; i < cells.length; i++) cells[i] = cells[i].strip();
			String name = String.join(" ", cells);
			return DynamicTest.dynamicTest(name.substring(0, Math.min(60, name.length())), () -> test.accept(cells));
		});
	}

	private static BatchOptions options(String step, String... plates) {
		return BatchOptions.of(BatchStep.of(step), "P", "B", List.of(plates));
	}

	private static List<String> bodies(BatchOptions o) {
		List<String> bodies = new ArrayList<>();
		BatchJob.of(o).forEach(m -> bodies.add(m.body()));
		return bodies;
	}

	private static BatchOptions with(BatchOptions o, UnaryOperator<Builder> change) {
		return change.apply(new Builder(o)).build();
	}

	/** Changes one field of the options at a time, so that each test names what it sets. */
	static final class Builder {
		String pathStyle, source, plateFormat, pipeline, pipelinePath, inputPath, outputStructure, outputPath, datafileName,
			datafilePath, batchfileName, batchfilePath;
		List<String> rows, columns, wells, sites;
		boolean pad, useBatch;
		final BatchOptions o;

		Builder(BatchOptions o) {
			this.o = o;
			pathStyle = o.pathStyle(); source = o.source(); plateFormat = o.plateFormat(); pipeline = o.pipeline();
			pipelinePath = o.pipelinePath(); inputPath = o.inputPath(); outputStructure = o.outputStructure();
			outputPath = o.outputPath(); datafileName = o.datafileName(); datafilePath = o.datafilePath();
			batchfileName = o.batchfileName(); batchfilePath = o.batchfilePath(); rows = o.rows(); columns = o.columns();
			wells = o.wells(); sites = o.sites(); pad = o.wellDigitPad(); useBatch = o.useBatch();
		}

		BatchOptions build() {
			return new BatchOptions(o.step(), o.identifier(), o.batch(), o.plates(), pathStyle, source, plateFormat, rows,
				columns, wells, sites, pad, pipeline, pipelinePath, inputPath, outputStructure, outputPath, datafileName,
				datafilePath, useBatch, batchfileName, batchfilePath);
		}
	}

	@TestFactory
	Stream<DynamicTest> eachStepHasItsDefaults() {
		return each("""
		zproj            | 3456 | {"Metadata": "Metadata_Plate=P1,Metadata_Well=A01,Metadata_Site=1", "pipeline": "projects/P/workspace/pipelines/B/Zproj.cppipe", "output": "projects/P/B/images_projected", "output_structure": "Metadata_Plate", "input": "projects/P/workspace/qc/B/rules", "data_file": "projects/P/workspace/load_data_csv/B/P1/load_data_unprojected.csv"}
		illum            | 1    | {"Metadata": "Metadata_Plate=P1", "pipeline": "projects/P/workspace/pipelines/B/illum.cppipe", "output": "projects/P/B/illum", "input": "projects/P/workspace/qc/B/rules", "data_file": "projects/P/workspace/load_data_csv/B/P1/load_data.csv"}
		qc               | 384  | {"Metadata": "Metadata_Plate=P1,Metadata_Well=A01", "pipeline": "projects/P/workspace/pipelines/B/qc.cppipe", "output": "projects/P/workspace/qc/B/results", "input": "projects/P/workspace/qc/B/rules", "data_file": "projects/P/workspace/load_data_csv/B/P1/load_data.csv"}
		qc_persite       | 3456 | {"Metadata": "Metadata_Plate=P1,Metadata_Well=A01,Metadata_Site=1", "pipeline": "projects/P/workspace/pipelines/B/qc.cppipe", "output": "projects/P/workspace/qc/B/results", "input": "projects/P/workspace/qc/B/rules", "data_file": "projects/P/workspace/load_data_csv/B/P1/load_data.csv"}
		assaydev         | 384  | {"Metadata": "Metadata_Plate=P1,Metadata_Well=A01", "pipeline": "projects/P/workspace/pipelines/B/assaydev.cppipe", "output": "projects/P/workspace/assaydev/B", "input": "projects/P/workspace/qc/B/rules", "data_file": "projects/P/workspace/load_data_csv/B/P1/load_data_with_illum.csv"}
		assaydev_persite | 3456 | {"Metadata": "Metadata_Plate=P1,Metadata_Well=A01,Metadata_Site=1", "pipeline": "projects/P/workspace/pipelines/B/assaydev.cppipe", "output": "projects/P/workspace/assaydev/B", "input": "projects/P/workspace/qc/B/rules", "data_file": "projects/P/workspace/load_data_csv/B/P1/load_data_with_illum.csv"}
		analysis         | 3456 | {"Metadata": "Metadata_Plate=P1,Metadata_Well=A01,Metadata_Site=1", "pipeline": "projects/P/workspace/pipelines/B/analysis.cppipe", "output": "projects/P/workspace/analysis/B", "output_structure": "Metadata_Plate/analysis/Metadata_Plate-Metadata_Well-Metadata_Site", "input": "projects/P/workspace/qc/B/rules", "data_file": "projects/P/workspace/load_data_csv/B/P1/load_data_with_illum.csv"}
		""", "|", c -> eachStepHasItsDefaults(c[0], Integer.parseInt(c[1]), c[2]));
	}

	private static void eachStepHasItsDefaults(String step, int perPlate, String first) {
		List<String> bodies = bodies(options(step, "P1", "P2"));
		assertEquals(2 * perPlate, bodies.size());
		assertEquals(2L * perPlate, BatchJob.of(options(step, "P1", "P2")).taskCount());
		assertEquals(first, bodies.get(0));
		// Plate by plate: the second plate's first task follows the first plate's last, with its own data file.
		assertEquals(first.replace("P1", "P2"), bodies.get(perPlate));
		if (perPlate > 1) {
			String last = bodies.get(perPlate - 1);
			assertTrue(last.contains("Metadata_Plate=P1,Metadata_Well=P24" + (perPlate > 384 ? ",Metadata_Site=9\"" : "\"")), last);
		}
	}

	@Test
	void tasksGoRowByRowThenColumnThenSite() {
		BatchOptions o = with(options("analysis", "P1"), b -> {
			b.rows = List.of("A", "B");
			b.columns = List.of("1", "10");
			b.sites = List.of("1", "2");
			return b;
		});
		List<String> wellsAndSites = new ArrayList<>();
		BatchJob.of(o).forEach(m -> wellsAndSites.add(m.metadata().get("Metadata_Well") + "/" + m.metadata().get("Metadata_Site")));
		assertEquals(List.of("A01/1", "A01/2", "A10/1", "A10/2", "B01/1", "B01/2", "B10/1", "B10/2"), wellsAndSites);
	}

	@Test
	void cellPaintingGalleryPaths() {
		BatchOptions base = BatchOptions.of(BatchStep.ANALYSIS, "cpg0000-jump-pilot", "2020_11_04_CPJUMP1", List.of("BR1"));
		BatchOptions cpg = with(base, b -> {
			b.pathStyle = "cpg";
			b.source = "broad";
			b.wells = List.of("A01");
			b.sites = List.of("1");
			return b;
		});
		assertEquals(List.of("{\"Metadata\": \"Metadata_Plate=BR1,Metadata_Well=A01,Metadata_Site=1\", "
			+ "\"pipeline\": \"cpg0000-jump-pilot/broad/workspace/pipelines/2020_11_04_CPJUMP1/analysis.cppipe\", "
			+ "\"output\": \"cpg0000-jump-pilot/broad/workspace/analysis/2020_11_04_CPJUMP1\", "
			+ "\"output_structure\": \"Metadata_Plate/analysis/Metadata_Plate-Metadata_Well-Metadata_Site\", "
			+ "\"input\": \"cpg0000-jump-pilot/broad/workspace/qc/2020_11_04_CPJUMP1/rules\", "
			+ "\"data_file\": \"cpg0000-jump-pilot/broad/workspace/load_data_csv/2020_11_04_CPJUMP1/BR1/load_data_with_illum.csv\"}"),
			bodies(cpg));
	}

	@TestFactory
	Stream<DynamicTest> outputsByPathStyle() {
		return each("""
			zproj, projects/P/B/images_projected, P/S/images/B/images_projected
			illum, projects/P/B/illum, P/S/images/B/illum
			qc, projects/P/workspace/qc/B/results, P/S/workspace/qc/B/results
			qc_persite, projects/P/workspace/qc/B/results, P/S/workspace/qc/B/results
			assaydev, projects/P/workspace/assaydev/B, P/S/workspace/assaydev/B
			assaydev_persite, projects/P/workspace/assaydev/B, P/S/workspace/assaydev/B
			analysis, projects/P/workspace/analysis/B, P/S/workspace/analysis/B
			""", ",", c -> outputsByPathStyle(c[0], c[1], c[2]));
	}

	private static void outputsByPathStyle(String step, String byDefault, String cpg) {
		assertEquals(byDefault, BatchJob.of(options(step, "P1")).output());
		assertEquals(cpg, BatchJob.of(with(options(step, "P1"), b -> {
			b.pathStyle = "cpg";
			b.source = "S";
			return b;
		})).output());
	}

	@TestFactory
	Stream<DynamicTest> batchFilesNameBothPipelineAndDataFile() {
		return each("""
			zproj, Batch_data_zproj.h5
			illum, Batch_data_illum.h5
			qc, Batch_data_qc.h5
			qc_persite, Batch_data_qc.h5
			assaydev, Batch_data_assaydev.h5
			assaydev_persite, Batch_data_assaydev.h5
			analysis, Batch_data_analysis.h5
			""", ",", c -> batchFilesNameBothPipelineAndDataFile(c[0], c[1]));
	}

	private static void batchFilesNameBothPipelineAndDataFile(String step, String batchFile) {
		BatchOptions o = with(options(step, "P1", "P2"), b -> {
			b.useBatch = true;
			b.pipeline = "ignored.cppipe";
			b.datafileName = "ignored.csv";
			return b;
		});
		String key = "projects/P/workspace/batchfiles/B/" + batchFile;
		BatchJob.of(o).forEach(m -> {
			assertEquals(key, m.pipeline());
			assertEquals(key, m.dataFile());
		});
		assertEquals(key, BatchJob.of(o).sharedDataFile());
		// The Gallery has no batch file folder: the file is at the bucket's root unless --batchfile-path says.
		BatchOptions cpg = with(o, b -> {
			b.pathStyle = "cpg";
			return b;
		});
		assertEquals(batchFile, BatchJob.of(cpg).pipeline());
		assertEquals("/abs/x.h5", BatchJob.of(with(o, b -> {
			b.batchfilePath = "/abs";
			b.batchfileName = "x.h5";
			return b;
		})).pipeline());
	}

	@Test
	void plateFormatsOverrideRowsAndColumns() {
		BatchOptions o96 = with(options("qc", "P1"), b -> {
			b.plateFormat = "96";
			b.rows = List.of("Z");
			return b;
		});
		List<String> wells = new ArrayList<>();
		BatchJob.of(o96).forEach(m -> wells.add(m.metadata().get("Metadata_Well")));
		assertEquals(96, wells.size());
		assertEquals(List.of("A01", "A02"), wells.subList(0, 2));
		assertEquals("H12", wells.get(95));
		assertEquals(384, BatchJob.of(with(o96, b -> {
			b.plateFormat = "384";
			return b;
		})).taskCount());
	}

	@Test
	void wellsWithoutPaddingAndColumnsReadAsPythonIntegers() {
		BatchOptions o = with(options("assaydev", "P1"), b -> {
			b.rows = List.of("A");
			b.columns = List.of("3", " 4", "+5", "0_12", "07");
			b.pad = false;
			return b;
		});
		List<String> wells = new ArrayList<>();
		BatchJob.of(o).forEach(m -> wells.add(m.metadata().get("Metadata_Well")));
		assertEquals(List.of("A3", "A4", "A5", "A12", "A7"), wells);
		BatchJob.of(with(o, b -> {
			b.pad = true;
			return b;
		})).forEach(m -> assertEquals(3, m.metadata().get("Metadata_Well").length()));
	}

	/** run_batch_general fails with UnboundLocalError in these branches; the wells given are what it meant. */
	@TestFactory
	Stream<DynamicTest> givenWellsAreUsedAsGiven() {
		return each("qc false\nqc true\nqc_persite false\nqc_persite true\nassaydev false\nassaydev true\n"
			+ "assaydev_persite false\nassaydev_persite true\nzproj false\nanalysis true", " ",
			c -> givenWellsAreUsedAsGiven(c[0], Boolean.parseBoolean(c[1])));
	}

	private static void givenWellsAreUsedAsGiven(String step, boolean useBatch) {
		BatchOptions o = with(options(step, "P1"), b -> {
			b.wells = List.of("C02", "D4");
			b.sites = List.of("7", "8");
			b.useBatch = useBatch;
			b.pad = false;
			return b;
		});
		List<String> labels = new ArrayList<>();
		BatchJob.of(o).forEach(m -> labels.add(String.join("/", m.metadata().values())));
		boolean perSite = BatchStep.of(step).span() == BatchStep.Span.SITE;
		assertEquals(perSite ? List.of("P1/C02/7", "P1/C02/8", "P1/D4/7", "P1/D4/8") : List.of("P1/C02", "P1/D4"), labels);
	}

	@Test
	void anEmptyWellListMeansRowsAndColumns() {
		BatchOptions o = with(options("qc", "P1"), b -> {
			b.wells = List.of("");
			b.rows = List.of("B");
			b.columns = List.of("2");
			return b;
		});
		assertEquals(List.of("Metadata_Plate=P1,Metadata_Well=B02"), metadata(o));
	}

	private static List<String> metadata(BatchOptions o) {
		List<String> texts = new ArrayList<>();
		BatchJob.of(o).forEach(m -> texts.add(m.body().replaceAll("^\\{\"Metadata\": \"([^\"]*)\".*", "$1")));
		return texts;
	}

	@Test
	void everyPathAndNameCanBeOverridden() {
		BatchOptions o = with(options("zproj", "P1"), b -> {
			b.wells = List.of("A01");
			b.sites = List.of("1");
			b.pipeline = "x.cppipe";
			b.pipelinePath = "pp";
			b.inputPath = "ip";
			b.outputStructure = "Metadata_Plate/Metadata_Well";
			b.outputPath = "op";
			b.datafileName = "d.csv";
			b.datafilePath = "dp";
			return b;
		});
		assertEquals(List.of("{\"Metadata\": \"Metadata_Plate=P1,Metadata_Well=A01,Metadata_Site=1\", \"pipeline\": \"pp/x.cppipe\", "
			+ "\"output\": \"op\", \"output_structure\": \"Metadata_Plate/Metadata_Well\", \"input\": \"ip\", \"data_file\": \"dp/P1/d.csv\"}"),
			bodies(o));
		// Steps other than zproj and analysis send no output_structure, given or not.
		BatchOptions qc = with(options("qc", "P1"), b -> {
			b.wells = List.of("A01");
			b.outputStructure = "Metadata_Plate";
			return b;
		});
		assertTrue(!bodies(qc).get(0).contains("output_structure"), bodies(qc).get(0));
	}

	@Test
	void bodiesAreJsonDumpsOfTheDict() {
		BatchOptions o = with(BatchOptions.of(BatchStep.ILLUM, "pé", "b\"\\", List.of("Pl€", "P😀", "")), b -> b);
		assertEquals(List.of(
			"{\"Metadata\": \"Metadata_Plate=Pl\\u20ac\", \"pipeline\": \"projects/p\\u00e9/workspace/pipelines/b\\\"\\\\/illum.cppipe\", "
				+ "\"output\": \"projects/p\\u00e9/b\\\"\\\\/illum\", \"input\": \"projects/p\\u00e9/workspace/qc/b\\\"\\\\/rules\", "
				+ "\"data_file\": \"projects/p\\u00e9/workspace/load_data_csv/b\\\"\\\\/Pl\\u20ac/load_data.csv\"}",
			"P\\ud83d\\ude00", "Metadata_Plate=\""),
			List.of(bodies(o).get(0), bodies(o).get(1).replaceAll(".*Metadata_Plate=([^\"]*)\".*", "$1"),
				bodies(o).get(2).substring(14, 30)));
	}

	@Test
	void everyWrongOptionIsReportedAtOnce() {
		BatchOptions o = with(options("qc", "P1"), b -> {
			b.pathStyle = "gallery";
			b.plateFormat = "1536";
			b.columns = List.of("1", "x");
			return b;
		});
		ParascopeException e = assertThrows(ParascopeException.class, () -> BatchJob.of(o));
		assertEquals("job batch: --path-style: expected default or cpg, got 'gallery'; --plate-format: expected 96 or 384, "
			+ "got '1536'; --columns: expected whole numbers, got 'x'", e.getMessage());
		assertThrows(ParascopeException.class, () -> BatchStep.of("segmentation"));
	}
}
