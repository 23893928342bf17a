package io.capxai.matching;

/**
 * Chan et al.'s parallel merge of (count, mean, M2) accumulators, in float64: merging the
 * moments of two disjoint sets gives exactly the moments of their union, so batches, devices
 * and machines can be reduced in any order.
 */
public final class MomentsMerge {
    private MomentsMerge() {}

    /** Merges (nb, meanB, m2B) into (count, mean, m2) at index k. */
    public static void merge(double[] count, double[] mean, double[] m2, int k, double nb, double meanB, double m2B) {
        double na = count[k];
        if (nb == 0) {
            return;
        }
        double n = na + nb;
        double delta = meanB - mean[k];
        mean[k] += delta * (nb / n);
        m2[k] += m2B + delta * delta * (na * nb / n);
        count[k] = n;
    }

    /** Population standard deviation from the accumulators. */
    public static double[] std(double[] count, double[] m2) {
        double[] out = new double[count.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = count[k] > 0 ? Math.sqrt(m2[k] / count[k]) : Double.NaN;
        }
        return out;
    }
}
