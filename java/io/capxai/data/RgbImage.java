package io.capxai.data;

import java.awt.image.BufferedImage;

/**
 * An 8-bit RGB image in memory: {@code height x width x 3} bytes, row-major, channels last
 * (HWC), values 0..255. The plain exchange format between datasets and preprocessing.
 */
public record RgbImage(int height, int width, byte[] pixels) {
    public RgbImage {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + height + "x" + width);
        }
        if ((long) height * width * 3 != pixels.length) {
            throw new IllegalArgumentException("RGB image " + height + "x" + width + " needs "
                    + (long) height * width * 3 + " bytes, got " + pixels.length);
        }
    }

    public static RgbImage black(int height, int width) {
        return new RgbImage(height, width, new byte[height * width * 3]);
    }

    /** Value 0..255 of channel {@code c} (0 red, 1 green, 2 blue) at row {@code y}, column {@code x}. */
    public int get(int y, int x, int c) {
        return pixels[(y * width + x) * 3 + c] & 0xff;
    }

    public void set(int y, int x, int c, int value) {
        pixels[(y * width + x) * 3 + c] = (byte) value;
    }

    /** The {@code h x w} region whose top-left corner is ({@code y}, {@code x}). */
    public RgbImage crop(int y, int x, int h, int w) {
        if (y < 0 || x < 0 || h <= 0 || w <= 0 || y + h > height || x + w > width) {
            throw new IllegalArgumentException("crop " + h + "x" + w + " at (" + y + ", " + x + ") outside a "
                    + height + "x" + width + " image");
        }
        byte[] out = new byte[h * w * 3];
        for (int r = 0; r < h; r++) {
            System.arraycopy(pixels, ((y + r) * width + x) * 3, out, r * w * 3, w * 3);
        }
        return new RgbImage(h, w, out);
    }

    /** Converts any ImageIO image (grey, indexed, with alpha...) to RGB; alpha is dropped, as PIL's convert("RGB"). */
    public static RgbImage of(BufferedImage img) {
        int h = img.getHeight();
        int w = img.getWidth();
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        byte[] px = new byte[h * w * 3];
        for (int i = 0; i < argb.length; i++) {
            px[3 * i] = (byte) (argb[i] >> 16);
            px[3 * i + 1] = (byte) (argb[i] >> 8);
            px[3 * i + 2] = (byte) argb[i];
        }
        return new RgbImage(h, w, px);
    }

    public BufferedImage toBufferedImage() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] rgb = new int[width * height];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (pixels[3 * i] & 0xff) << 16 | (pixels[3 * i + 1] & 0xff) << 8 | (pixels[3 * i + 2] & 0xff);
        }
        img.setRGB(0, 0, width, height, rgb, 0, width);
        return img;
    }
}
