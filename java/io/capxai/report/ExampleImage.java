package io.capxai.report;

import io.capxai.images.Images;

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
        try {
            return new ExampleImage(index, Images.fromChw(chw, height, width));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("example image " + index + ": " + e.getMessage(), e);
        }
    }

    /**
     * From a model input: planar {@code [3][height][width]} values normalised as
     * {@code (x - mean[c]) / std[c]} (e.g. CLIP's mean and std); undoes the normalisation.
     */
    public static ExampleImage fromNormalised(int index, float[] chw, int height, int width, float[] mean, float[] std) {
        try {
            return new ExampleImage(index, Images.fromChw(Images.unnormalise(chw, height, width, mean, std), height, width));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("example image " + index + ": " + e.getMessage(), e);
        }
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
}
