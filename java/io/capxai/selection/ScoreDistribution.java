package io.capxai.selection;

import java.util.Arrays;

/**
 * Summary of a set of scores: mean, spread, quantiles and a histogram over [min, max].
 *
 * @param quantileLevels  the probabilities of {@code quantiles} (0.01 .. 0.99)
 * @param histogramEdges  {@code bins + 1} bin edges; {@code histogram[b]} counts values in
 *                        [edges[b], edges[b+1]) (the last bin includes its right edge)
 */
public record ScoreDistribution(long count, double mean, double std, double min, double max,
                                double[] quantileLevels, double[] quantiles,
                                double[] histogramEdges, long[] histogram) {
    static final double[] LEVELS = {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99};

    /** Exact summary of {@code values} (copied and sorted; fine for the few thousand selected scores). */
    public static ScoreDistribution of(float[] values, int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("need at least one histogram bin, got " + bins);
        }
        int n = values.length;
        if (n == 0) {
            return new ScoreDistribution(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    LEVELS.clone(), new double[LEVELS.length], new double[0], new long[0]);
        }
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        double mean = 0;
        double m2 = 0;
        for (int k = 0; k < n; k++) {           // Welford
            double d = sorted[k] - mean;
            mean += d / (k + 1);
            m2 += d * (sorted[k] - mean);
        }
        double[] q = new double[LEVELS.length];
        for (int k = 0; k < LEVELS.length; k++) {
            q[k] = quantile(sorted, LEVELS[k]);
        }
        double lo = sorted[0];
        double hi = sorted[n - 1];
        double[] edges = new double[bins + 1];
        for (int b = 0; b <= bins; b++) {
            edges[b] = lo + (hi - lo) * b / bins;
        }
        long[] counts = new long[bins];
        for (float v : sorted) {
            int b = hi > lo ? (int) ((v - lo) / (hi - lo) * bins) : 0;
            counts[Math.min(b, bins - 1)]++;
        }
        return new ScoreDistribution(n, mean, n > 1 ? Math.sqrt(m2 / (n - 1)) : 0, lo, hi,
                LEVELS.clone(), q, edges, counts);
    }

    /** Linear interpolation between order statistics (NumPy's default). */
    static double quantile(float[] sorted, double p) {
        double pos = p * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** The quantile at level {@code p}, which must be one of {@link #quantileLevels()}. */
    public double quantile(double p) {
        for (int k = 0; k < quantileLevels.length; k++) {
            if (quantileLevels[k] == p) {
                return quantiles[k];
            }
        }
        throw new IllegalArgumentException("no quantile at level " + p + "; have " + Arrays.toString(quantileLevels));
    }
}
