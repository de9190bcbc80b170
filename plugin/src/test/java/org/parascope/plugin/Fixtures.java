package org.parascope.plugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import ij.ImagePlus;
import ij.plugin.FolderOpener;

import org.scijava.Context;
import org.scijava.Cancelable;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.CommandService;
import org.scijava.log.LogLevel;
import org.scijava.log.LogService;
import org.scijava.module.Module;
import org.scijava.task.TaskService;

/** A headless SciJava context with the Fiji face, and the example images as an image sequence. */
final class Fixtures implements AutoCloseable {

	static final Path EXAMPLES = Path.of("../examples").toAbsolutePath().normalize();
	static final Path MACRO = Path.of("src/test/resources/mean_intensity.ijm").toAbsolutePath();

	final Context context = new Context(CommandService.class, ParascopeService.class, StatusService.class,
		TaskService.class, LogService.class);
	final ParascopeService parascope = context.service(ParascopeService.class);

	/** What the commands logged, each line after its level ("ERROR Parascope: ..."). */
	final List<String> logged = new CopyOnWriteArrayList<>();

	Fixtures(Path home, Map<String, String> env) {
		parascope.use(home, env);
		context.service(LogService.class).addLogListener(m -> logged.add(LogLevel.prefix(m.level()) + " " + m.text()));
	}

	/**
	 * Runs a command with the inputs a macro's key=value options would give; its failure as an exception,
	 * a cancel (how the commands end on an error the user can fix) as a {@link Canceled}.
	 */
	Module run(Class<? extends Command> command, Object... inputs) throws Exception {
		Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i < inputs.length; i += 2) map.put((String) inputs[i], inputs[i + 1]);
		try {
			Module module = context.service(CommandService.class).run(command, true, map).get();
			if (module instanceof Cancelable c && c.isCanceled()) throw new Canceled(c.getCancelReason());
			return module;
		}
		catch (ExecutionException e) {
			// SciJava wraps what the command threw in "Module threw exception".
			Throwable cause = e.getCause();
			while (cause.getCause() != null && "Module threw exception".equals(cause.getMessage())) cause = cause.getCause();
			throw cause instanceof Exception ex ? ex : e;
		}
	}

	/** The nuclei images copied under new names, e.g. A01_s1.png: plate wells with two sites each. */
	static void renamed(Path folder, String... names) throws Exception {
		Files.createDirectories(folder);
		for (int i = 0; i < names.length; i++) {
			Files.copy(EXAMPLES.resolve(String.format("nuclei/images/cells_%02d.png", i + 1)), folder.resolve(names[i]));
		}
	}

	/** {@code count} nuclei images copied to {@code folder}, opened as ImageJ opens an image sequence. */
	static ImagePlus sequence(Path folder, int count) throws Exception {
		Files.createDirectories(folder);
		for (int i = 1; i <= count; i++) {
			String name = String.format("cells_%02d.png", i);
			Files.copy(EXAMPLES.resolve("nuclei/images/" + name), folder.resolve(name));
		}
		ImagePlus image = FolderOpener.open(folder.toString());
		if (image == null || image.getStackSize() != count) throw new IllegalStateException("sequence not opened: " + image);
		return image;
	}

	/** A command canceled itself with this reason. */
	static final class Canceled extends Exception {
		Canceled(String reason) {
			super(reason);
		}
	}

	@Override
	public void close() {
		context.dispose();
	}
}
