package io.capxai.probing;

/** Mean and sample standard deviation (n - 1 denominator) of a few values, e.g. the controls' accuracies. */
public record Spread(double mean, double sd, int count) {
    public static Spread of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values to summarise");
        }
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= values.length;
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        return new Spread(mean, values.length > 1 ? Math.sqrt(ss / (values.length - 1)) : 0, values.length);
    }
}
