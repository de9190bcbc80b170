package org.parascope.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.parascope.ParascopeException;

/** A folder as an object store: the key is the path below the folder. */
public final class LocalObjectStore implements ObjectStore {

	private final Path root;

	public LocalObjectStore(Path root) {
		this.root = root.toAbsolutePath().normalize();
	}

	@Override
	public void put(String key, Path file) {
		Path target = resolve(key);
		try {
			Files.createDirectories(target.getParent());
			// Write beside the target, then move: a reader never sees half an object.
			Path partial = Files.createTempFile(target.getParent(), ".partial-", "");
			Files.copy(file, partial, StandardCopyOption.REPLACE_EXISTING);
			Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot store " + key + " in " + root, e);
		}
	}

	/**
	 * Puts {@code file} at {@code key} as a link, for a local run of files that are already on this disk (a copy
	 * where links are not allowed, as on Windows without the right). A file already at its key is left as it is.
	 */
	public void link(String key, Path file) {
		Path target = resolve(key);
		try {
			if (Files.exists(target) && Files.isSameFile(target, file)) return;
			Files.createDirectories(target.getParent());
			Files.deleteIfExists(target);
			try {
				Files.createSymbolicLink(target, file.toAbsolutePath());
			}
			catch (UnsupportedOperationException | IOException e) {
				put(key, file);
			}
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot place " + file + " at " + key + " in " + root, e);
		}
	}

	/** {@link #link}s each file at its key, once every key has passed {@link KeyRule} (all problems said at once). */
	public void linkAll(Map<String, Path> files) {
		List<String> problems = new ArrayList<>();
		for (String key : files.keySet()) {
			String problem = KeyRule.fileProblem(key);
			if (problem != null) problems.add("key '" + KeyRule.printable(key) + "' " + problem);
		}
		if (!problems.isEmpty()) throw new ParascopeException("cannot place files in " + root + ": " + String.join("; ", problems));
		files.forEach(this::link);
	}

	@Override
	public void get(String key, Path file) {
		try {
			if (file.getParent() != null) Files.createDirectories(file.getParent());
			Files.copy(resolve(key), file, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (NoSuchFileException e) {
			throw new ParascopeException("no object '" + key + "' in " + root);
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot fetch " + key + " from " + root, e);
		}
	}

	@Override
	public boolean exists(String key) {
		return Files.isRegularFile(resolve(key));
	}

	@Override
	public Stream<StoredObject> list(String prefix) {
		// Walk only the deepest folder the prefix names, then filter by the full prefix.
		int slash = prefix.lastIndexOf('/');
		Path start = slash < 0 ? root : resolve(prefix.substring(0, slash));
		if (!Files.isDirectory(start)) return Stream.empty();
		try (Stream<Path> walk = Files.walk(start)) {
			return walk.filter(Files::isRegularFile)
				.filter(p -> !p.getFileName().toString().startsWith(".partial-"))
				.map(p -> new StoredObject(keyOf(p), size(p)))
				.filter(o -> o.key().startsWith(prefix))
				.sorted(Comparator.comparing(StoredObject::key))
				.toList()
				.stream();
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot list " + prefix + " in " + root, e);
		}
	}

	@Override
	public void delete(String key) {
		try {
			Files.deleteIfExists(resolve(key));
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot delete " + key + " in " + root, e);
		}
	}

	/** A local object is read whole: that is as cheap as any record of its checksum would be. */
	@Override
	public Optional<String> sha256(String key) {
		Path file = resolve(key);
		return Files.isRegularFile(file) ? Optional.of(Sha256.of(file)) : Optional.empty();
	}

	@Override
	public String location() {
		return root.toString();
	}

	private Path resolve(String key) {
		return KeyRule.resolve(root, key, "object key");
	}

	private String keyOf(Path file) {
		return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
	}

	private static long size(Path p) {
		try {
			return Files.size(p);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
