package io.capxai.report;

import java.awt.image.BufferedImage;

/**
 * An evaluated image to show in the HTML grid; {@code index} is its row in the similarity
 * matrices (and in the verdict's per-image results).
 */
public record ExampleImage(int index, BufferedImage image) {
    public ExampleImage {
        if (index < 0) {
            throw new IllegalArgumentException("image index must be >= 0, got " + index);
        }
        if (image == null) {
            throw new IllegalArgumentException("example image " + index + " has no pixels");
        }
    }

    /**
     * From planar RGB values in [0, 1], laid out {@code [3][height][width]} (a CHW tensor as
     * floats, un-normalised); values outside [0, 1] are clipped.
     */
    public static ExampleImage fromRgb(int index, float[] chw, int height, int width) {
        if (height <= 0 || width <= 0 || chw.length != 3 * height * width) {
            throw new IllegalArgumentException("example image " + index + ": expected 3 x " + height + " x " + width
                    + " = " + 3 * height * width + " values, got " + chw.length);
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = y * width + x;
                img.setRGB(x, y, (channel(chw[p]) << 16) | (channel(chw[plane + p]) << 8) | channel(chw[2 * plane + p]));
            }
        }
        return new ExampleImage(index, img);
    }

    /**
     * From a model input: planar {@code [3][height][width]} values normalised as
     * {@code (x - mean[c]) / std[c]} (e.g. CLIP's mean and std); undoes the normalisation.
     */
    public static ExampleImage fromNormalised(int index, float[] chw, int height, int width, float[] mean, float[] std) {
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("need 3 channel means and 3 standard deviations, got " + mean.length + " and " + std.length);
        }
        if (height <= 0 || width <= 0 || chw.length != 3 * height * width) {
            throw new IllegalArgumentException("example image " + index + ": expected 3 x " + height + " x " + width
                    + " = " + 3 * height * width + " values, got " + chw.length);
        }
        float[] rgb = new float[chw.length];
        int plane = height * width;
        for (int i = 0; i < chw.length; i++) {
            int c = i / plane;
            rgb[i] = chw[i] * std[c] + mean[c];
        }
        return fromRgb(index, rgb, height, width);
    }

    /** From packed {@code 0xRRGGBB} pixels, row by row. */
    public static ExampleImage fromPackedRgb(int index, int[] pixels, int height, int width) {
        if (height <= 0 || width <= 0 || pixels.length != height * width) {
            throw new IllegalArgumentException("example image " + index + ": expected " + height + " x " + width
                    + " pixels, got " + pixels.length);
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, width, height, pixels, 0, width);
        return new ExampleImage(index, img);
    }

    private static int channel(float v) {
        if (Float.isNaN(v)) {
            throw new IllegalArgumentException("example image has a NaN pixel");
        }
        return Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
    }
}
