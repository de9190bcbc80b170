package org.parascope.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

import org.parascope.ParascopeException;
import org.parascope.config.Config;
import org.parascope.config.ConfigKey;
import org.parascope.store.ObjectStore;

/**
 * Distributed-Fiji's SCRIPT_DOWNLOAD_URL: the one script every task of the worker runs, named by the
 * configuration rather than by the task. It is fetched on first use and kept for every later task of
 * every worker sharing this object; a failed fetch is tried again by the next task.
 */
public final class ScriptDownload {

	private static final Duration TIMEOUT = Duration.ofMinutes(2);

	private final URI url;
	private final Function<String, ObjectStore> buckets;
	private final Path cache;
	private Path fetched;

	/**
	 * @param buckets the store of an {@code s3://bucket} location
	 * @param cache   a folder the downloaded script may be kept in
	 */
	ScriptDownload(String url, Function<String, ObjectStore> buckets, Path cache) {
		this.url = parse(url);
		this.buckets = buckets;
		this.cache = cache;
	}

	/** The download the config names, or null when SCRIPT_DOWNLOAD_URL is not set. */
	public static ScriptDownload of(Config config, Function<String, ObjectStore> buckets, Path cache) {
		if (!config.has(ConfigKey.SCRIPT_DOWNLOAD_URL) || config.string(ConfigKey.SCRIPT_DOWNLOAD_URL).isBlank()) return null;
		return new ScriptDownload(config.string(ConfigKey.SCRIPT_DOWNLOAD_URL).trim(), buckets, cache);
	}

	/** The script as a local file, fetched on the first call. */
	public synchronized Path script() {
		if (fetched == null) fetched = fetch();
		return fetched;
	}

	private Path fetch() {
		String scheme = url.getScheme().toLowerCase(Locale.ROOT);
		if (scheme.equals("file")) {
			Path file = Path.of(url);
			if (!Files.isRegularFile(file)) throw failure("there is no file " + file);
			return file;
		}
		Path file = cache.resolve(fileName(url.getPath()));
		try {
			Files.createDirectories(cache);
			if (scheme.equals("s3")) {
				String key = url.getPath().substring(1);
				buckets.apply("s3://" + url.getAuthority()).get(key, file);
			}
			else {
				download(file);
			}
		}
		catch (IOException | UncheckedIOException | ParascopeException e) {
			throw failure(reason(e));
		}
		return file;
	}

	private void download(Path file) throws IOException {
		HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(TIMEOUT).build();
		try {
			HttpResponse<Path> response = http.send(HttpRequest.newBuilder(url).timeout(TIMEOUT).GET().build(),
				HttpResponse.BodyHandlers.ofFile(file));
			if (response.statusCode() != 200) {
				Files.deleteIfExists(file);
				throw new IOException("the server answered HTTP " + response.statusCode());
			}
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted", e);
		}
	}

	/**
	 * Why a fetch failed, for people: the JDK's HTTP client throws a ConnectException without a message
	 * for a refused connection, which used to read "null".
	 */
	private static String reason(Exception e) {
		String message = null;
		for (Throwable t = e; t != null; t = t.getCause()) {
			if (t instanceof ConnectException) return "cannot connect" + (t.getMessage() == null ? "" : ": " + t.getMessage());
			if (message == null && t.getMessage() != null && !t.getMessage().isBlank()) message = t.getMessage();
		}
		return message != null ? message : e.getClass().getSimpleName();
	}

	private ParascopeException failure(String why) {
		return new ParascopeException("SCRIPT_DOWNLOAD_URL " + url + ": cannot fetch the script: " + why);
	}

	private static URI parse(String text) {
		URI url;
		try {
			url = new URI(text);
		}
		catch (URISyntaxException e) {
			throw new ParascopeException("SCRIPT_DOWNLOAD_URL " + text + " is not a URL: " + e.getReason());
		}
		String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
		// Plain http is refused: whoever sits on the path could swap the code every worker runs.
		if (!scheme.equals("https") && !scheme.equals("s3") && !scheme.equals("file")) {
			throw new ParascopeException("SCRIPT_DOWNLOAD_URL " + text + ": expected an https://, s3:// or file:// URL");
		}
		String path = url.getPath() == null ? "" : url.getPath();
		if (scheme.equals("s3") && (url.getAuthority() == null || path.length() < 2)) {
			throw new ParascopeException("SCRIPT_DOWNLOAD_URL " + text + ": expected s3://bucket/key");
		}
		if (fileName(path).isEmpty()) {
			throw new ParascopeException("SCRIPT_DOWNLOAD_URL " + text + " names no file (its name tells the script's language)");
		}
		return url;
	}

	static String fileName(String key) {
		return key.substring(key.lastIndexOf('/') + 1);
	}
}
