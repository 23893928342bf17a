package io.capxai.concepts;

/**
 * Sums a value over the pixels under each box (image region only) and turns the sum into a map:
 * {@code 1 - minmax(sum)} (docs/method.md#grid-map), so the pixels under the best-ranked boxes get 1. Boxes are
 * added through a 2-D difference array: O(1) per box, one prefix sum at the end.
 */
public final class SaliencyAccumulator {
    private final SweepGeometry geometry;
    private final int side;
    private final double[] diff;

    public SaliencyAccumulator(SweepGeometry geometry) {
        this.geometry = geometry;
        this.side = geometry.resolution();
        this.diff = new double[(side + 1) * (side + 1)];
    }

    /** Adds {@code value} to every image pixel under {@code box} (canvas coordinates). */
    public void add(SweepGeometry.Box box, double value) {
        int b = geometry.border();
        int x0 = Math.max(0, box.x() - b);
        int y0 = Math.max(0, box.y() - b);
        int x1 = Math.min(side, box.x() + box.size() - b);
        int y1 = Math.min(side, box.y() + box.size() - b);
        if (x0 >= x1 || y0 >= y1) {
            return;
        }
        int w = side + 1;
        diff[y0 * w + x0] += value;
        diff[y0 * w + x1] -= value;
        diff[y1 * w + x0] -= value;
        diff[y1 * w + x1] += value;
    }

    /** The accumulated sum per image pixel, row-major R x R. */
    public double[] sums() {
        int w = side + 1;
        double[] out = new double[side * side];
        double[] running = new double[w];
        for (int y = 0; y < side; y++) {
            double row = 0;
            for (int x = 0; x < side; x++) {
                row += diff[y * w + x];
                running[x] += row;
                out[y * side + x] = running[x];
            }
        }
        return out;
    }

    /** {@code 1 - minmax(sums)}; all zeros when every pixel has the same sum (nothing to tell apart). */
    public float[] map() {
        return oneMinusMinMax(sums());
    }

    static float[] oneMinusMinMax(double[] values) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        float[] out = new float[values.length];
        double range = max - min;
        if (!(range > 1e-12 * Math.max(1, Math.abs(max)))) {
            return out;
        }
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) (1 - (values[i] - min) / range);
        }
        return out;
    }
}
