package org.parascope.plugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import ij.ImagePlus;
import ij.ImageStack;
import ij.VirtualStack;
import ij.io.FileInfo;

import org.parascope.ParascopeException;

/**
 * The files behind an open image or in a folder: what Submit Open Dataset sends and splits into tasks.
 *
 * @param name   for people and object keys: the folder's name
 * @param folder where the files are; their paths below it are kept in the object keys
 */
record Dataset(String name, Path folder, List<Path> files) {

	Dataset {
		if (files.isEmpty()) throw new ParascopeException("no files in " + folder);
		files = List.copyOf(files);
	}

	/** A single file, an image sequence (opened from a folder, also as a virtual stack), or one multi-image file. */
	static Dataset of(ImagePlus image) {
		ImageStack stack = image.getStack();
		if (stack instanceof VirtualStack virtual && virtual.getDirectory() != null && virtual.getFileName(1) != null) {
			Path dir = Path.of(virtual.getDirectory());
			Set<Path> files = new LinkedHashSet<>();
			for (int i = 1; i <= virtual.getSize(); i++) files.add(dir.resolve(virtual.getFileName(i)));
			return existing(image, dir, files);
		}
		FileInfo info = image.getOriginalFileInfo();
		if (info == null || info.directory == null || info.directory.isEmpty()) throw notFromFiles(image);
		Path dir = Path.of(info.directory);
		// A sequence read into memory: each slice's label starts with the name of the file it came from.
		if (image.getStackSize() > 1) {
			Set<Path> files = new LinkedHashSet<>();
			for (int i = 1; i <= stack.getSize(); i++) {
				String label = stack.getSliceLabel(i);
				if (label != null && label.indexOf('\n') >= 0) label = label.substring(0, label.indexOf('\n'));
				if (label == null || label.isBlank() || !Files.isRegularFile(dir.resolve(label))) break;
				files.add(dir.resolve(label));
			}
			if (files.size() > 1) return existing(image, dir, files);
		}
		if (info.fileName == null || info.fileName.isEmpty()) throw notFromFiles(image);
		return existing(image, dir, Set.of(dir.resolve(info.fileName)));
	}

	/** The files in {@code folder} (and below) whose path below it matches a glob such as {@code *.tif}. */
	static Dataset of(Path folder, String glob) {
		if (!Files.isDirectory(folder)) throw new ParascopeException("folder: " + folder + " is not a folder");
		PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + (glob.isBlank() ? "*" : glob.strip()));
		try (Stream<Path> walk = Files.walk(folder)) {
			List<Path> files = walk.filter(Files::isRegularFile).filter(p -> matcher.matches(folder.relativize(p)))
				.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
			if (files.isEmpty()) throw new ParascopeException("pattern: no file in " + folder + " matches '" + glob + "'");
			return new Dataset(name(folder), folder, files);
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot list " + folder, e);
		}
	}

	/**
	 * Object key -> file, under {@code parascope/datasets/NAME-HASH/}: the hash of the folder's path keeps
	 * two folders of the same name apart, and the same folder always lands in the same place.
	 */
	Map<String, Path> objects() {
		Map<String, Path> objects = new LinkedHashMap<>();
		for (Path file : files) objects.put(key(file), file);
		return objects;
	}

	String key(Path file) {
		return key(relative(file));
	}

	/** The key of the file at {@code relative} ('/'-separated) below the folder. */
	String key(String relative) {
		String hash = Integer.toHexString(folder.toAbsolutePath().normalize().toString().hashCode());
		return "parascope/datasets/" + name + "-" + hash + "/" + relative;
	}

	String relative(Path file) {
		return folder.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
	}

	private static Dataset existing(ImagePlus image, Path dir, Set<Path> files) {
		List<Path> missing = new ArrayList<>(files.stream().filter(f -> !Files.isRegularFile(f)).toList());
		if (!missing.isEmpty()) {
			throw new ParascopeException("image '" + image.getTitle() + "': its file " + missing.get(0) + " is gone");
		}
		return new Dataset(name(dir), dir, new ArrayList<>(files));
	}

	private static ParascopeException notFromFiles(ImagePlus image) {
		return new ParascopeException("image '" + image.getTitle() + "' was not opened from files (or was made here): "
			+ "save it first, or close it and give a folder and file pattern");
	}

	private static String name(Path folder) {
		Path name = folder.toAbsolutePath().normalize().getFileName();
		String text = name == null ? "dataset" : name.toString();
		return text.replaceAll("[^A-Za-z0-9._-]", "_");
	}
}
