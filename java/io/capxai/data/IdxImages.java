package io.capxai.data;

import java.util.Arrays;

/**
 * A stack of grey 8-bit images as stored in an IDX file: {@code count} images of
 * {@code rows x cols}, row-major, one byte (0..255) per pixel.
 */
public record IdxImages(int count, int rows, int cols, byte[] pixels) {
    public IdxImages {
        if (count < 0 || rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("bad IDX image dimensions " + count + "x" + rows + "x" + cols);
        }
        if ((long) count * rows * cols != pixels.length) {
            throw new IllegalArgumentException("IDX images " + count + "x" + rows + "x" + cols + " need "
                    + (long) count * rows * cols + " bytes, got " + pixels.length);
        }
    }

    public int imageSize() {
        return rows * cols;
    }

    /** A copy of image {@code i}, row-major. */
    public byte[] image(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("image " + i + " of " + count);
        }
        return Arrays.copyOfRange(pixels, i * imageSize(), (i + 1) * imageSize());
    }

    /** Pixel value 0..255 of image {@code i} at (row, col). */
    public int pixel(int i, int row, int col) {
        return pixels[i * imageSize() + row * cols + col] & 0xff;
    }
}
