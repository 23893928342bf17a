package io.capxai.concepts;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where ConVis puts its boxes (docs/method.md#grid-map). The R x R image is pasted in the middle of a canvas with a
 * {@code border} of noise on every side; square boxes of each size slide over the canvas with
 * {@code stride}. Only boxes that overlap the image are encoded: the others cannot change the map,
 * and with the border every image pixel is still covered by the same number of boxes.
 *
 * <p>The paper's values at 224: border 128, boxes 128 and 64, stride 16; {@link #scaledTo} keeps
 * their proportions at another resolution.
 */
public record SweepGeometry(int resolution, int border, int[] boxSizes, int stride) {
    public static final int PAPER_RESOLUTION = 224;
    public static final int PAPER_BORDER = 128;
    public static final int[] PAPER_BOX_SIZES = {128, 64};
    public static final int PAPER_STRIDE = 16;

    /** One box: top-left corner in canvas pixels and side. */
    public record Box(int x, int y, int size) {}

    public SweepGeometry {
        boxSizes = boxSizes.clone();
        if (resolution < 1 || border < 0 || stride < 1 || boxSizes.length == 0) {
            throw new IllegalArgumentException("need resolution >= 1, border >= 0, stride >= 1 and at least one box size; got "
                    + resolution + ", " + border + ", " + stride + ", " + Arrays.toString(boxSizes));
        }
        for (int s : boxSizes) {
            if (s < 1 || s > resolution + 2 * border) {
                throw new IllegalArgumentException("box size " + s + " does not fit a canvas of " + (resolution + 2 * border));
            }
        }
    }

    /** The paper's border, box sizes and stride scaled from 224 to {@code resolution} (each at least 1). */
    public static SweepGeometry scaledTo(int resolution) {
        int[] sizes = Arrays.stream(PAPER_BOX_SIZES).map(s -> scale(s, resolution)).toArray();
        return new SweepGeometry(resolution, scale(PAPER_BORDER, resolution), sizes, scale(PAPER_STRIDE, resolution));
    }

    private static int scale(int paperValue, int resolution) {
        return Math.max(1, (int) Math.round(paperValue * (double) resolution / PAPER_RESOLUTION));
    }

    @Override
    public int[] boxSizes() {
        return boxSizes.clone();
    }

    public int canvasSize() {
        return resolution + 2 * border;
    }

    /** Every box on the stride grid that overlaps the image region, by size then row then column. */
    public List<Box> boxes() {
        List<Box> out = new ArrayList<>();
        int canvas = canvasSize();
        for (int s : boxSizes) {
            for (int y = 0; y + s <= canvas; y += stride) {
                for (int x = 0; x + s <= canvas; x += stride) {
                    if (overlapsImage(x, s) && overlapsImage(y, s)) {
                        out.add(new Box(x, y, s));
                    }
                }
            }
        }
        return out;
    }

    private boolean overlapsImage(int start, int size) {
        return start + size > border && start < border + resolution;
    }

    @Override
    public String toString() {
        return "resolution " + resolution + ", border " + border + ", boxes " + Arrays.toString(boxSizes) + ", stride " + stride;
    }
}
