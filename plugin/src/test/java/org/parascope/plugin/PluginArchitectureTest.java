package org.parascope.plugin;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Fiji face's layering (docs/design.md), checked on its compiled classes: it calls the facade and
 * renders what it returns, in core types; it reaches neither the adapters nor the other face.
 */
class PluginArchitectureTest {
	private static JavaClasses plugin;

	@BeforeAll
	static void importPlugin() {
		plugin = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("org.parascope"); // core's classes whole too: what they are (a record?) is part of the rules
	}

	@Test
	void thePluginReachesNeitherTheAwsAdaptersNorTheCommandLine() {
		noClasses().that().resideInAPackage("org.parascope.plugin..")
			.should().dependOnClassesThat().resideInAnyPackage("org.parascope.aws..", "org.parascope.cli..")
			.because("the facade is the face's only door to AWS; the command line is the other face, not a library")
			.check(plugin);
	}

	@Test
	void thePluginRunsNoneOfCoresMachineryItself() {
		// Of the ports' packages and the trace the face may use values and listeners (records, enums, interfaces:
		// what the facade's methods take and give, e.g. FleetState); the task loop, the queues, stores and fleets
		// themselves are the facade's to wire.
		DescribedPredicate<JavaClass> machinery = JavaClass.Predicates.resideInAnyPackage("org.parascope.worker..",
				"org.parascope.queue..", "org.parascope.store..", "org.parascope.fleet..", "org.parascope.trace..",
				"org.parascope.machines..")
			.and(DescribedPredicate.describe("a class (not a record, enum or interface)",
				c -> !c.isRecord() && !c.isEnum() && !c.isInterface()));
		noClasses().that().resideInAPackage("org.parascope.plugin..")
			.should().dependOnClassesThat(machinery)
			.because("the face calls the facade, which wires the use cases: it runs no worker, queue, store or fleet itself")
			.check(plugin);
	}
}
