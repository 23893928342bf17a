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

    private static int channel(float v) {
        if (Float.isNaN(v)) {
            throw new IllegalArgumentException("example image has a NaN pixel");
        }
        return Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
    }
}
