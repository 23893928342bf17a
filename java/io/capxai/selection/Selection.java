package io.capxai.selection;

import io.capxai.matching.ScoreMatrix;

/**
 * How each CLIP channel picks its standalone channel(s) from the score matrix (docs/method.md#selection).
 *
 * <ul>
 *   <li>{@link #argmax()} (default, the paper): the best-scoring row per column; many-to-one.</li>
 *   <li>{@link #topK(int)}: the k best rows per column; the surgery uses the mean of their
 *       standardised maps.</li>
 *   <li>{@link #threshold(float)}: the argmax, but only for columns whose best score is at least
 *       t; other columns keep CLIP's own map.</li>
 *   <li>{@link #oneToOne()}: an assignment maximising the total score with every standalone
 *       channel used at most once (exact; see {@link OneToOne}).</li>
 * </ul>
 */
public sealed interface Selection permits Selection.Argmax, Selection.TopK, Selection.Threshold, OneToOne {
    /** Builds the surgery plan for {@code matrix}. */
    SurgeryPlan select(ScoreMatrix matrix);

    /** A short name for reports, e.g. {@code argmax}, {@code top-3}, {@code threshold>=0.2}. */
    String describe();

    static Selection argmax() {
        return new Argmax();
    }

    static Selection topK(int k) {
        return new TopK(k);
    }

    static Selection threshold(float t) {
        return new Threshold(t);
    }

    /** One-to-one with the default 64 candidates per column (see {@link OneToOne}). */
    static Selection oneToOne() {
        return new OneToOne(64);
    }

    /** One-to-one with {@code candidates} per column; 0 = dense exact solve. */
    static Selection oneToOne(int candidates) {
        return new OneToOne(candidates);
    }

    /** Parses {@code argmax}, {@code top-K}, {@code threshold:T}, {@code one-to-one} or {@code one-to-one:K} (the CLI syntax). */
    static Selection parse(String text) {
        String s = text.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (s.equals("argmax")) {
                return argmax();
            }
            if (s.equals("one-to-one") || s.equals("hungarian")) {
                return oneToOne();
            }
            if (s.startsWith("one-to-one:")) {
                return oneToOne(Integer.parseInt(s.substring(11)));
            }
            if (s.startsWith("top-")) {
                return topK(Integer.parseInt(s.substring(4)));
            }
            if (s.startsWith("threshold:")) {
                return threshold(Float.parseFloat(s.substring(10)));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad number in selection rule '" + text + "'", e);
        }
        throw new IllegalArgumentException("unknown selection rule '" + text
                + "': use argmax, top-K, threshold:T, one-to-one or one-to-one:K (K candidates, 0 = dense)");
    }

    /** Each CLIP column takes its best standalone row. */
    record Argmax() implements Selection {
        @Override
        public SurgeryPlan select(ScoreMatrix matrix) {
            ColumnScan.Result best = ColumnScan.topK(matrix, 1);
            return new SurgeryPlan(describe(), matrix.rows(), matrix.cols(), best.rows(), best.scores());
        }

        @Override
        public String describe() {
            return "argmax";
        }
    }

    /** Each CLIP column takes its k best standalone rows (surgery: mean of their maps). */
    record TopK(int k) implements Selection {
        public TopK {
            if (k < 1) {
                throw new IllegalArgumentException("top-k needs k >= 1, got " + k);
            }
        }

        @Override
        public SurgeryPlan select(ScoreMatrix matrix) {
            ColumnScan.Result best = ColumnScan.topK(matrix, k);
            return new SurgeryPlan(describe(), matrix.rows(), matrix.cols(), best.rows(), best.scores());
        }

        @Override
        public String describe() {
            return "top-" + k;
        }
    }

    /** Argmax for the columns whose best score reaches {@code t}; the others are left alone. */
    record Threshold(float t) implements Selection {
        public Threshold {
            if (!Float.isFinite(t)) {
                throw new IllegalArgumentException("threshold must be a finite number, got " + t);
            }
        }

        @Override
        public SurgeryPlan select(ScoreMatrix matrix) {
            ColumnScan.Result best = ColumnScan.topK(matrix, 1);
            int[][] rows = best.rows();
            float[][] scores = best.scores();
            for (int j = 0; j < rows.length; j++) {
                if (scores[j][0] < t) {
                    rows[j] = new int[0];
                    scores[j] = new float[0];
                }
            }
            return new SurgeryPlan(describe(), matrix.rows(), matrix.cols(), rows, scores);
        }

        @Override
        public String describe() {
            return "threshold:" + t;
        }
    }
}
