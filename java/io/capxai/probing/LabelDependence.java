package io.capxai.probing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How strongly two concepts' labels depend on each other on the evaluated images, as Cramér's V
 * {@code sqrt(chi^2 / (n (min(rows, cols) - 1)))} of their contingency table: 0 when independent,
 * 1 when one label determines the other (the biased colored-MNIST test split: every 5 is red).
 * On confounded images a model that reads only the digit also "predicts" the colour, so the
 * per-concept verdict cannot tell the two apart: a V of at least {@value #WARN_AT} (Cohen's
 * "medium" association for a 2 x 2 table) is reported as a warning.
 *
 * @param v Cramér's V; NaN when a concept has a single label on these images (no table to measure)
 */
public record LabelDependence(String first, String second, int images, double v, boolean warning) {
    public static final double WARN_AT = 0.3;

    /** V of every pair of concepts, in label order. */
    public static List<LabelDependence> of(ImageLabels labels) {
        List<LabelDependence> out = new ArrayList<>();
        List<String> concepts = labels.concepts();
        for (int a = 0; a < concepts.size(); a++) {
            for (int b = a + 1; b < concepts.size(); b++) {
                String[] x = new String[labels.images()];
                String[] y = new String[labels.images()];
                for (int i = 0; i < labels.images(); i++) {
                    x[i] = labels.labels()[i][a];
                    y[i] = labels.labels()[i][b];
                }
                double v = cramersV(x, y);
                out.add(new LabelDependence(concepts.get(a), concepts.get(b), labels.images(), v, v >= WARN_AT));
            }
        }
        return out;
    }

    /** Cramér's V of two label columns of equal length. */
    public static double cramersV(String[] x, String[] y) {
        if (x.length != y.length || x.length == 0) {
            throw new IllegalArgumentException("need two label columns of the same, positive length, got " + x.length + " and " + y.length);
        }
        Map<String, Integer> rows = index(x);
        Map<String, Integer> cols = index(y);
        if (rows.size() < 2 || cols.size() < 2) {
            return Double.NaN;
        }
        long[][] table = new long[rows.size()][cols.size()];
        for (int i = 0; i < x.length; i++) {
            table[rows.get(x[i])][cols.get(y[i])]++;
        }
        return cramersV(table);
    }

    /** Cramér's V of a contingency table with at least two non-empty rows and columns. */
    public static double cramersV(long[][] table) {
        int r = table.length;
        int c = table[0].length;
        long[] rowSum = new long[r];
        long[] colSum = new long[c];
        long n = 0;
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                rowSum[i] += table[i][j];
                colSum[j] += table[i][j];
                n += table[i][j];
            }
        }
        double chi2 = 0;
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                double expected = (double) rowSum[i] * colSum[j] / n;
                if (expected > 0) {
                    chi2 += (table[i][j] - expected) * (table[i][j] - expected) / expected;
                }
            }
        }
        return Math.sqrt(chi2 / (n * (Math.min(r, c) - 1.0)));
    }

    private static Map<String, Integer> index(String[] xs) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String x : xs) {
            out.putIfAbsent(x, out.size());
        }
        return out;
    }

    /** e.g. {@code shape and colour depend on each other on the evaluated images (Cramér's V 1.00 >= 0.3): ...}. */
    public String message() {
        return String.format(Locale.ROOT, "%s and %s labels depend on each other on the %d evaluated images (Cramér's V %.2f >= %.1f):"
                + " a model reading one concept also predicts the other, so the per-concept verdict cannot separate them;"
                + " evaluate on images where they vary independently (for colored MNIST: colored-mnist:probe)",
                first, second, images, v, WARN_AT);
    }
}
