package org.parascope.submit;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes Distributed-CellProfiler job files of any size, streaming, for tests and the benchmark. */
public final class JobFiles {

	private JobFiles() {}

	/** {@code groups} groups, plate P(i/1000), well W(i%1000); {@code padding} extra characters of metadata per group. */
	public static Path dcp(Path file, int groups, int padding) {
		try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
			out.write("{\"pipeline\": \"projects/analysis.cppipe\", \"data_file\": \"projects/load_data.csv\", "
				+ "\"input\": \"projects/input\", \"output\": \"projects/output\",\n \"groups\": [\n");
			String pad = padding > 0 ? ",Metadata_Note=" + "n".repeat(padding) : "";
			for (int i = 0; i < groups; i++) {
				out.write(i == 0 ? "  " : ",\n  ");
				out.write("{\"Metadata\": \"Metadata_Plate=P" + i / 1000 + ",Metadata_Well=W" + i % 1000 + pad + "\"}");
			}
			out.write("\n]}\n");
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		return file;
	}
}
