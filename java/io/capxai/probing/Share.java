package io.capxai.probing;

/**
 * {@code count} of {@code total} images as a share, with its 95 % Wilson score interval
 * (which stays inside [0, 1] and behaves at 0 % and 100 %, unlike the normal approximation).
 */
public record Share(long count, long total, double value, double lower, double upper) {
    /** z for a two-sided 95 % interval. */
    static final double Z95 = 1.959963984540054;

    public static Share of(long count, long total) {
        if (total <= 0 || count < 0 || count > total) {
            throw new IllegalArgumentException("a share needs 0 <= count <= total and total > 0, got " + count + " of " + total);
        }
        double n = total;
        double p = count / n;
        double z2 = Z95 * Z95;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2 * n)) / denominator;
        double half = Z95 / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return new Share(count, total, p, Math.max(0, centre - half), Math.min(1, centre + half));
    }

    /** e.g. {@code 78 % [74, 82]}. */
    public String percent() {
        return String.format(java.util.Locale.ROOT, "%.0f %% [%.0f, %.0f]", 100 * value, 100 * lower, 100 * upper);
    }
}
