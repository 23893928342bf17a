package io.capxai.images;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * The one place pictures are made and written: channel-first values to RGB images, maps through a
 * {@link ColourMaps colour map}, a map laid over an image, PNG files and inline PNG data URIs.
 */
public final class Images {
    private Images() {}

    /**
     * From planar RGB values in [0, 1] laid out {@code [3][height][width]} (a CHW tensor as floats);
     * values outside [0, 1] are clipped, NaN is an error.
     */
    public static BufferedImage fromChw(float[] chw, int height, int width) {
        checkChw(chw, height, width);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = y * width + x;
                img.setRGB(x, y, (channel(chw[p]) << 16) | (channel(chw[plane + p]) << 8) | channel(chw[2 * plane + p]));
            }
        }
        return img;
    }

    /**
     * Undoes a per-channel normalisation {@code (x - mean[c]) / std[c]} of planar values
     * {@code [3][height][width]} (e.g. CLIP's model input), giving values for {@link #fromChw}.
     */
    public static float[] unnormalise(float[] chw, int height, int width, float[] mean, float[] std) {
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("need 3 channel means and 3 standard deviations, got " + mean.length + " and " + std.length);
        }
        checkChw(chw, height, width);
        float[] rgb = new float[chw.length];
        int plane = height * width;
        for (int i = 0; i < chw.length; i++) {
            int c = i / plane;
            rgb[i] = chw[i] * std[c] + mean[c];
        }
        return rgb;
    }

    /** A row-major map {@code [height][width]} through {@code colours} (e.g. {@link ColourMaps#heat}). */
    public static BufferedImage colour(float[] map, int height, int width, ColourMaps.ColourMap colours) {
        checkMap(map, height, width);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, colours.rgb(map[y * width + x]));
            }
        }
        return img;
    }

    /** {@code base} and the map through {@link ColourMaps#redYellow}, half each, pixel by pixel. */
    public static BufferedImage overlay(BufferedImage base, float[] map) {
        int h = base.getHeight();
        int w = base.getWidth();
        checkMap(map, h, w);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int a = base.getRGB(x, y);
                int b = ColourMaps.redYellow(map[y * w + x]);
                int rgb = 0;
                for (int shift = 16; shift >= 0; shift -= 8) {
                    rgb = (rgb << 8) | ((((a >> shift) & 0xff) + ((b >> shift) & 0xff)) / 2);
                }
                out.setRGB(x, y, rgb);
            }
        }
        return out;
    }

    /** Nearest-neighbour enlargement to about {@code targetWidth}, so that small images (28 x 28 digits) stay crisp. */
    public static BufferedImage enlarge(BufferedImage img, int targetWidth) {
        int scale = Math.max(1, targetWidth / Math.max(1, img.getWidth()));
        if (scale == 1) {
            return img;
        }
        BufferedImage out = new BufferedImage(img.getWidth() * scale, img.getHeight() * scale, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                out.setRGB(x, y, img.getRGB(x / scale, y / scale));
            }
        }
        return out;
    }

    /** Writes {@code img} to {@code file} as PNG, creating its folder. */
    public static void writePng(BufferedImage img, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (!ImageIO.write(img, "png", file.toFile())) {
                throw new IOException("no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** A {@code data:} URI holding the image as PNG (for self-contained HTML). */
    public static String pngDataUri(BufferedImage img) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            if (!ImageIO.write(img, "png", out)) {
                throw new IllegalStateException("no PNG writer available");
            }
            return "data:image/png;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode PNG", e);
        }
    }

    private static void checkChw(float[] chw, int height, int width) {
        if (height <= 0 || width <= 0 || chw.length != 3 * height * width) {
            throw new IllegalArgumentException("expected 3 x " + height + " x " + width + " = " + 3 * height * width
                    + " values, got " + chw.length);
        }
    }

    private static void checkMap(float[] map, int height, int width) {
        if (height <= 0 || width <= 0 || map.length != height * width) {
            throw new IllegalArgumentException("map of " + map.length + " values is not " + height + "x" + width);
        }
    }

    private static int channel(float v) {
        if (Float.isNaN(v)) {
            throw new IllegalArgumentException("image has a NaN pixel");
        }
        return Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
    }
}
