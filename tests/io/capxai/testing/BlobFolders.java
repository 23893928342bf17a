package io.capxai.testing;

import io.capxai.data.RgbImage;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Test data for audits from the command line: folders of small red or green blobs with a labels.csv. */
public final class BlobFolders {
    private BlobFolders() {}

    /** {@code images} random 20x20 blobs in {@code parent/name}, labelled with shape (5/8) and colour. */
    public static Path write(Path parent, String name, int images, long seed) throws IOException {
        Path d = Files.createDirectories(parent.resolve(name));
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder("file,shape,colour\n");
        for (int i = 0; i < images; i++) {
            boolean red = random.nextBoolean();
            RgbImage img = RgbImage.black(20, 20);
            for (int p = 0; p < 60; p++) {
                img.set(random.nextInt(20), random.nextInt(20), red ? 0 : 1, 200 + random.nextInt(56));
            }
            String file = "img" + i + ".png";
            ImageIO.write(img.toBufferedImage(), "png", d.resolve(file).toFile());
            csv.append(file).append(',').append(i % 2 == 0 ? "5" : "8").append(',').append(red ? "red" : "green").append('\n');
        }
        Files.writeString(d.resolve("labels.csv"), csv);
        return d;
    }
}
