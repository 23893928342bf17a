package io.capxai.concepts;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Writes a [0, 1] map as a PNG heat map (black - red - yellow - white). */
public final class MapImages {
    private MapImages() {}

    public static void writePng(float[] map, int height, int width, Path file) {
        if (map.length != height * width) {
            throw new IllegalArgumentException("map of " + map.length + " values is not " + height + "x" + width);
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float v = Math.max(0, Math.min(1, map[y * width + x]));
                int r = (int) (255 * Math.min(1, 3 * v));
                int g = (int) (255 * Math.max(0, Math.min(1, 3 * v - 1)));
                int b = (int) (255 * Math.max(0, Math.min(1, 3 * v - 2)));
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        try {
            if (!javax.imageio.ImageIO.write(img, "png", file.toFile())) {
                throw new IOException("no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
