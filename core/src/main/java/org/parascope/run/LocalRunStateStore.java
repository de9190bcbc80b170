package org.parascope.run;

import java.nio.file.Files;
import java.nio.file.Path;

import org.parascope.ParascopeException;

/** A run's state in a file on this machine: the one start-fleet writes. */
public record LocalRunStateStore(Path file) implements RunStateStore {

	@Override
	public RunState read() {
		if (!Files.isRegularFile(file)) {
			throw new ParascopeException(file + ": no such state file (start-fleet writes it)");
		}
		return RunState.read(file);
	}

	@Override
	public boolean exists() {
		return Files.isRegularFile(file);
	}

	@Override
	public void write(RunState state) {
		state.write(file);
	}

	@Override
	public String location() {
		return file.toString();
	}
}
