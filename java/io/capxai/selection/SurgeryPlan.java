package io.capxai.selection;

import io.capxai.matching.TapBlock;

import java.util.List;

/**
 * Which standalone channel(s) replace each CLIP channel (docs/method.md#selection).
 *
 * <p>{@code sources[j]} lists the standalone rows for CLIP column j, best first, with their
 * scores in {@code scores[j]}. An empty list means column j is not replaced: it keeps CLIP's own
 * map (threshold and one-to-one rules can leave columns out). With several sources (top-k) the
 * surgery replaces column j by the <b>mean of the standardised source maps</b>, then applies
 * column j's sigma and mu as usual.
 *
 * @param rule    the selection rule that made this plan, e.g. {@code argmax} or {@code top-3}
 * @param rows    the standalone taps (row axis of the score matrix)
 * @param cols    the CLIP taps (column axis)
 */
public record SurgeryPlan(String rule, List<TapBlock> rows, List<TapBlock> cols, int[][] sources, float[][] scores) {
    public SurgeryPlan {
        rows = List.copyOf(rows);
        cols = List.copyOf(cols);
        int rowCount = channels(rows);
        int colCount = channels(cols);
        if (sources.length != colCount || scores.length != colCount) {
            throw new IllegalArgumentException("plan needs one source list per CLIP column (" + colCount
                    + "), got " + sources.length + " source lists and " + scores.length + " score lists");
        }
        sources = sources.clone();
        scores = scores.clone();
        for (int j = 0; j < colCount; j++) {
            if (sources[j].length != scores[j].length) {
                throw new IllegalArgumentException("column " + j + ": " + sources[j].length + " sources but "
                        + scores[j].length + " scores");
            }
            for (int row : sources[j]) {
                if (row < 0 || row >= rowCount) {
                    throw new IllegalArgumentException("column " + j + ": source row " + row + " outside 0.." + (rowCount - 1));
                }
            }
            sources[j] = sources[j].clone();
            scores[j] = scores[j].clone();
        }
    }

    /** All source lists, {@code [col][rank]} (a deep copy). */
    @Override
    public int[][] sources() {
        int[][] copy = new int[sources.length][];
        for (int j = 0; j < sources.length; j++) {
            copy[j] = sources[j].clone();
        }
        return copy;
    }

    /** All source scores, aligned with {@link #sources()} (a deep copy). */
    @Override
    public float[][] scores() {
        float[][] copy = new float[scores.length][];
        for (int j = 0; j < scores.length; j++) {
            copy[j] = scores[j].clone();
        }
        return copy;
    }

    public int columnCount() {
        return sources.length;
    }

    public int rowCount() {
        return channels(rows);
    }

    /** The standalone rows feeding CLIP column {@code col}, best first (a copy; empty = not replaced). */
    public int[] sources(int col) {
        return sources[col].clone();
    }

    /** Their scores, aligned with {@link #sources(int)}. */
    public float[] scores(int col) {
        return scores[col].clone();
    }

    public boolean replaces(int col) {
        return sources[col].length > 0;
    }

    /** How many CLIP columns are replaced. */
    public int replacedCount() {
        int n = 0;
        for (int[] s : sources) {
            if (s.length > 0) {
                n++;
            }
        }
        return n;
    }

    /** How many distinct standalone maps the plan uses (paper: about 1,400 of 22,720). */
    public int distinctSources() {
        boolean[] used = new boolean[rowCount()];
        int n = 0;
        for (int[] s : sources) {
            for (int row : s) {
                if (!used[row]) {
                    used[row] = true;
                    n++;
                }
            }
        }
        return n;
    }

    private static int channels(List<TapBlock> blocks) {
        int n = 0;
        for (TapBlock b : blocks) {
            n += b.channels();
        }
        return n;
    }
}
