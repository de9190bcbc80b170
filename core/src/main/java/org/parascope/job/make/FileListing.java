package org.parascope.job.make;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.stream.Stream;

import org.parascope.ParascopeException;
import org.parascope.store.ObjectStore;
import org.parascope.store.StoredObject;

/**
 * The files a job is made of, each by its path below where they were listed ('/' between folders),
 * in name order; hidden files (a part starting with '.') left out.
 *
 * @param name     for a default job name: the folder's or prefix's last part
 * @param prefix   for files in a bucket, the prefix listed (with its trailing '/'); "" for a folder
 * @param inBucket whether the files are objects (their keys are prefix + path) or local files
 */
public record FileListing(String name, String prefix, List<String> files, boolean inBucket) {

	public static FileListing ofFolder(Path folder, String glob) {
		if (!Files.isDirectory(folder)) throw new ParascopeException(folder + ": not a folder");
		PathMatcher matcher = matcher(glob);
		try (Stream<Path> walk = Files.walk(folder)) {
			List<String> files = walk.filter(Files::isRegularFile)
				.map(p -> folder.relativize(p).toString().replace(folder.getFileSystem().getSeparator(), "/"))
				.filter(f -> !hidden(f) && matcher.matches(Path.of(f))).sorted().toList();
			if (files.isEmpty()) throw new ParascopeException(folder + ": no file matches '" + glob + "'");
			Path last = folder.toAbsolutePath().normalize().getFileName();
			return new FileListing(last == null ? "files" : last.toString(), "", files, false);
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot list " + folder, e);
		}
	}

	/** The objects below {@code prefix} ("" or ending in '/') of a store. */
	public static FileListing ofStore(ObjectStore store, String prefix, String glob) {
		PathMatcher matcher = matcher(glob);
		try (Stream<StoredObject> objects = store.list(prefix)) {
			List<String> files = objects.map(o -> o.key().substring(prefix.length()))
				.filter(f -> !f.isEmpty() && !f.endsWith("/") && !hidden(f) && matcher.matches(Path.of(f))).sorted().toList();
			if (files.isEmpty()) throw new ParascopeException(store.location() + "/" + prefix + ": no object matches '" + glob + "'");
			String trimmed = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
			return new FileListing(trimmed.isEmpty() ? "files" : trimmed.substring(trimmed.lastIndexOf('/') + 1), prefix, files, true);
		}
	}

	private static PathMatcher matcher(String glob) {
		return FileSystems.getDefault().getPathMatcher("glob:" + (glob == null || glob.isBlank() ? "*" : glob.strip()));
	}

	private static boolean hidden(String path) {
		for (String part : path.split("/")) if (part.startsWith(".")) return true;
		return false;
	}
}
