package org.parascope.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering docs/design.md states, checked on core's compiled classes: a change that breaks it fails
 * here with the offending class and dependency named, before it spreads.
 */
class ArchitectureTest {
	private static JavaClasses core;

	@BeforeAll
	static void importCore() {
		core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("org.parascope");
	}

	@Test
	void coreKnowsNoImageJSciJavaOrUserInterface() {
		noClasses().should().dependOnClassesThat()
			.resideInAnyPackage("ij..", "net.imagej..", "org.scijava..", "javax.swing..", "java.awt..")
			.because("core is headless; the engines live in the engines module and the faces in theirs")
			.check(core);
	}

	@Test
	void thePortsAndTheTaskLoopImportNoAdapterOrFace() {
		noClasses().that().resideInAnyPackage("org.parascope.worker..", "org.parascope.queue..",
				"org.parascope.store..", "org.parascope.fleet..", "org.parascope.job..", "org.parascope.config..",
				"org.parascope.submit..", "org.parascope.progress..", "org.parascope.trace..")
			.should().dependOnClassesThat().resideInAnyPackage("org.parascope.aws..", "org.parascope.cli..")
			.because("the task loop and the ports are the same locally and on AWS; adapters plug into them")
			.check(core);
	}

	@Test
	void theMonitorAndTheRunsStateKnowNoCloud() {
		noClasses().that().resideInAnyPackage("org.parascope.monitor..", "org.parascope.run..")
			.should().dependOnClassesThat().resideInAnyPackage("org.parascope.aws..", "software.amazon..")
			.because("the monitor drives ports (TaskQueue, Fleet, RunStateStore) and tells failures apart through "
				+ "core's Failures; the S3 store of the run's state is an adapter in aws")
			.check(core);
	}

	@Test
	void theAwsResourcesDependWithoutALoop() {
		slices().matching("org.parascope.aws.(*)..").should().beFreeOfCycles()
			.because("each resource's owner stands only on those below it, and aws.run, which starts and ends a run "
				+ "across them, on all (docs/design.md)")
			.check(core);
	}

	@Test
	void theCommandLineReachesAwsOnlyThroughTheFacade() {
		noClasses().that().resideInAPackage("org.parascope.cli..")
			.should().dependOnClassesThat().resideInAnyPackage("org.parascope.aws..")
			.because("a face parses, calls the facade and renders what it returns, in core types (docs/design.md)")
			.check(core);
	}

	@Test
	void onlyTheCommandLineUsesPicocli() {
		noClasses().that().resideOutsideOfPackage("org.parascope.cli..")
			.should().dependOnClassesThat().resideInAnyPackage("picocli..")
			.because("the facade speaks core types; picocli is the command line's business")
			.check(core);
	}

	@Test
	void nothingButTheCommandLineDependsOnIt() {
		noClasses().that().resideOutsideOfPackage("org.parascope.cli..")
			.should().dependOnClassesThat().resideInAnyPackage("org.parascope.cli..")
			.because("the command line is a face over the facade, not a library for core")
			.check(core);
	}
}
