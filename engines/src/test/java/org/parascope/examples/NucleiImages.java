package org.parascope.examples;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import javax.imageio.ImageIO;

/**
 * Makes the example dataset: fluorescence-like images of round nuclei on a noisy background,
 * with the number of nuclei planted in each written to truth.csv. Seeded, so the same pixels
 * come out every time. Uses only the JDK, so it also runs as a single-file program:
 * {@code java engines/src/test/java/org/parascope/examples/NucleiImages.java examples/nuclei}
 */
public final class NucleiImages {

	public static final int IMAGES = 24;
	static final int SIZE = 192;
	static final long SEED = 20261121L;

	/** One nucleus: centre, radius, brightness. */
	public record Nucleus(double x, double y, double r, double brightness) {}

	public static void main(String[] args) throws IOException {
		Path dir = Path.of(args.length > 0 ? args[0] : "examples/nuclei");
		Files.createDirectories(dir.resolve("images"));
		try (Writer truth = Files.newBufferedWriter(dir.resolve("truth.csv"))) {
			truth.write("image,nuclei\n");
			for (int i = 1; i <= IMAGES; i++) {
				String name = name(i);
				List<Nucleus> nuclei = nuclei(i);
				ImageIO.write(render(i, nuclei), "png", dir.resolve("images").resolve(name + ".png").toFile());
				truth.write(name + "," + nuclei.size() + "\n");
			}
		}
	}

	public static String name(int i) {
		return String.format("cells_%02d", i);
	}

	/** Well-separated nuclei (they never touch), so a threshold can count them exactly. */
	public static List<Nucleus> nuclei(int image) {
		Random random = new Random(SEED * 31 + image);
		int wanted = 4 + random.nextInt(22);
		List<Nucleus> placed = new ArrayList<>();
		for (int attempt = 0; placed.size() < wanted && attempt < 10_000; attempt++) {
			double r = 5 + random.nextDouble() * 5;
			double x = r + 4 + random.nextDouble() * (SIZE - 2 * r - 8);
			double y = r + 4 + random.nextDouble() * (SIZE - 2 * r - 8);
			boolean free = placed.stream().allMatch(n -> Math.hypot(n.x() - x, n.y() - y) > n.r() + r + 6);
			if (free) placed.add(new Nucleus(x, y, r, 110 + random.nextDouble() * 110));
		}
		return placed;
	}

	public static BufferedImage render(int image, List<Nucleus> nuclei) {
		Random noise = new Random(SEED * 17 + image);
		BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
		for (int y = 0; y < SIZE; y++) {
			for (int x = 0; x < SIZE; x++) {
				double v = 18 + noise.nextGaussian() * 5;
				for (Nucleus n : nuclei) {
					double d = Math.hypot(x - n.x(), y - n.y()) / n.r();
					// A soft-edged disc: flat inside, falling off over the rim like a blurred nucleus.
					if (d < 1.4) v += n.brightness() / (1 + Math.exp((d - 1) * 8));
				}
				img.getRaster().setSample(x, y, 0, (int) Math.max(0, Math.min(255, Math.round(v))));
			}
		}
		return img;
	}
}
