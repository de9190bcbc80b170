package org.parascope.fiji;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.stream.Collectors;

import javax.script.ScriptEngineFactory;
import javax.script.ScriptEngineManager;

import org.scijava.Context;
import org.scijava.console.ConsoleService;
import org.scijava.script.ScriptService;
import org.scijava.startup.StartupService;

/**
 * An installed Fiji for tests, built from real parts, because Fiji itself cannot be had here (it is not
 * on Maven Central). Only two pieces stand in: the native launcher {@code ImageJ-linux64} (a shell
 * script that takes the launcher's own options, --mem, --headless and --console, and starts java) and
 * Fiji's Java entry point (this class's {@link #main}, in place of net.imagej.Main). Everything after
 * that is real: scijava-common's console handling of {@code --run SCRIPT 'k="v",...'}, its parser of
 * the argument, its script service and the Jython and Groovy engines, in a new JVM per task.
 */
public final class FijiStandIn {

	private FijiStandIn() {}

	/** Fiji's start: a SciJava context that handles the command line, then exits, as Fiji headless does. */
	public static void main(String[] args) {
		Context context = new Context();
		// What Fiji's scripting-* language plugins provide: the languages, from their JSR-223 engines.
		ScriptService scripts = context.service(ScriptService.class);
		for (ScriptEngineFactory engine : new ScriptEngineManager().getEngineFactories()) scripts.getIndex().add(engine, true);
		context.service(ConsoleService.class).processArgs(args);
		context.service(StartupService.class).executeOperations();
		context.dispose();
		System.exit(0);
	}

	/** Makes {@code home} a Fiji.app whose launcher runs {@link #main} on this JVM's class path. */
	public static Path install(Path home) throws IOException {
		Files.createDirectories(home);
		// Absolute: Fiji starts in each task's folder.
		String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
			.map(entry -> Path.of(entry).toAbsolutePath().toString()).collect(Collectors.joining(File.pathSeparator));
		Files.writeString(home.resolve("classpath"), classPath);
		Path launcher = home.resolve("ImageJ-linux64");
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Files.writeString(launcher, """
			#!/bin/sh
			# Stand-in for Fiji's native launcher: its own options become JVM options; the rest go to Fiji.
			home=$(dirname "$0")
			heap=
			headless=
			while [ $# -gt 0 ]; do
			  case "$1" in
			    --mem=*) heap="-Xmx${1#--mem=}" ;;
			    --headless) headless=-Djava.awt.headless=true ;;
			    --console) ;;
			    *) break ;;
			  esac
			  shift
			done
			exec "%s" $heap $headless -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dpython.cachedir.skip=true \\
			  -cp "$(cat "$home/classpath")" %s "$@"
			""".formatted(java, FijiStandIn.class.getName()));
		Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
		return home;
	}
}
