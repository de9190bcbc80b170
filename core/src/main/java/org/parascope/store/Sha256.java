package org.parascope.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.parascope.ParascopeException;

/** The SHA-256 of a file's content, in lower-case hex. */
public final class Sha256 {

	private Sha256() {}

	public static String of(Path file) {
		MessageDigest digest;
		try {
			digest = MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("every Java has SHA-256", e);
		}
		byte[] buffer = new byte[1 << 16];
		try (InputStream in = Files.newInputStream(file)) {
			for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) digest.update(buffer, 0, n);
		}
		catch (IOException e) {
			throw new ParascopeException(file + ": cannot read: " + e.getMessage());
		}
		return HexFormat.of().formatHex(digest.digest());
	}
}
