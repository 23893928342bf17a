package io.capxai.matching;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The raw sums of one (standalone tap, CLIP tap) pair over a set of images, for standalone rows
 * {@code rowFrom .. rowFrom+rows-1} of the tap (a row block, or the whole tap). With a' = a - K_a
 * and c' = c - K_c (maps shifted by per-channel constants K), P and Q the identity on the smaller
 * side and the adjoint resize Ut on the larger one (docs/method.md#matching-in-one-pass), summed over images:
 * <pre>
 *   X[i, j]   = sum &lt;P(a'_i), Q(c'_j)&gt;      rowSum[i] = sum &lt;P(a'_i), Q(1)&gt;     colSum[j] = sum &lt;P(1), Q(c'_j)&gt;
 * </pre>
 * and {@code area} = &lt;P(1), Q(1)&gt; per image (the larger map's size m*m). Changing the shifts is
 * exact algebra: with d = K_old - K_new,
 * <pre>
 *   X' = X + d_a colSum^T + rowSum d_c^T + N area d_a d_c^T,  rowSum' = rowSum + N area d_a,  colSum' = colSum + N area d_c
 * </pre>
 * so partials gathered with different shifts (every worker takes its first batch's means) add up
 * after one re-shift, and the centred sums (shift = mean) give the scores directly.
 */
public record CrossMoments(String row, String col, int rowFrom, int rows, int cols, long images, double area,
                           double[] rowShift, double[] colShift, double[] x, double[] rowSum, double[] colSum)
        implements Serializable {
    public CrossMoments {
        if (rows <= 0 || cols <= 0 || rowShift.length != rows || colShift.length != cols || x.length != (long) rows * cols
                || rowSum.length != rows || colSum.length != cols) {
            throw new IllegalArgumentException("cross-moments " + row + "|" + col + ": inconsistent sizes for " + rows + " x " + cols);
        }
    }

    /** The key of this tap pair and row block, for reductions by block. */
    public String key() {
        return row + "|" + col + "|" + rowFrom;
    }

    /** Rows {@code from .. to-1} of this block (indices relative to this block). */
    public CrossMoments rowRange(int from, int to) {
        if (from < 0 || to > rows || from >= to) {
            throw new IllegalArgumentException("row range " + from + ".." + to + " outside 0.." + rows);
        }
        return new CrossMoments(row, col, rowFrom + from, to - from, cols, images, area,
                Arrays.copyOfRange(rowShift, from, to), colShift.clone(), Arrays.copyOfRange(x, from * cols, to * cols),
                Arrays.copyOfRange(rowSum, from, to), colSum.clone());
    }

    /** The sums over both image sets, expressed with this block's shifts (neither input changes). */
    public CrossMoments merge(CrossMoments other) {
        if (!key().equals(other.key()) || rows != other.rows || cols != other.cols || area != other.area) {
            throw new IllegalArgumentException("cannot merge cross-moments " + key() + " (" + rows + " x " + cols + ", area " + area
                    + ") with " + other.key() + " (" + other.rows + " x " + other.cols + ", area " + other.area + ")");
        }
        CrossMoments o = other.reshift(rowShift, colShift);
        double[] sx = x.clone();
        for (int k = 0; k < sx.length; k++) {
            sx[k] += o.x[k];
        }
        return new CrossMoments(row, col, rowFrom, rows, cols, images + o.images, area, rowShift, colShift, sx,
                add(rowSum, o.rowSum), add(colSum, o.colSum));
    }

    /** The same sums with the maps shifted by {@code newRowShift} and {@code newColShift} instead. */
    public CrossMoments reshift(double[] newRowShift, double[] newColShift) {
        double[] da = minus(rowShift, newRowShift);
        double[] dc = minus(colShift, newColShift);
        double m = images * area;
        double[] nx = new double[x.length];
        for (int i = 0; i < rows; i++) {
            int base = i * cols;
            for (int j = 0; j < cols; j++) {
                nx[base + j] = x[base + j] + da[i] * colSum[j] + rowSum[i] * dc[j] + m * da[i] * dc[j];
            }
        }
        double[] nr = rowSum.clone();
        for (int i = 0; i < rows; i++) {
            nr[i] += m * da[i];
        }
        double[] nc = colSum.clone();
        for (int j = 0; j < cols; j++) {
            nc[j] += m * dc[j];
        }
        return new CrossMoments(row, col, rowFrom, rows, cols, images, area, newRowShift.clone(), newColShift.clone(), nx, nr, nc);
    }

    /**
     * Scores of SPEC eq. 3 for this block, row-major {@code [rows][cols]}: the sums centred on the
     * means divided by {@code N area (sigma_a + eps)(sigma_c + eps)}. Means and stds are this
     * block's rows and all of the CLIP tap's columns.
     */
    public float[] scores(double[] rowMean, double[] rowStd, double[] colMean, double[] colStd) {
        if (rowMean.length != rows || rowStd.length != rows || colMean.length != cols || colStd.length != cols) {
            throw new IllegalArgumentException("scores of " + key() + ": statistics for " + rowMean.length + " x " + colMean.length
                    + " channels, block is " + rows + " x " + cols);
        }
        CrossMoments centred = reshift(rowMean, colMean);
        double m = images * area;
        float[] out = new float[x.length];
        for (int i = 0; i < rows; i++) {
            double ri = m * (rowStd[i] + ChannelStats.EPS);
            for (int j = 0; j < cols; j++) {
                out[i * cols + j] = (float) (centred.x[i * cols + j] / (ri * (colStd[j] + ChannelStats.EPS)));
            }
        }
        return out;
    }

    private static double[] add(double[] a, double[] b) {
        double[] out = a.clone();
        for (int k = 0; k < out.length; k++) {
            out[k] += b[k];
        }
        return out;
    }

    private static double[] minus(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("shift of " + b.length + " channels for " + a.length);
        }
        double[] out = new double[a.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = a[k] - b[k];
        }
        return out;
    }
}
