package io.capxai.spark;

import io.capxai.matching.ChannelStats;
import io.capxai.matching.ScoreMatrix;
import io.capxai.matching.TapBlock;
import io.capxai.selection.OneToOne;
import io.capxai.selection.Selection;
import io.capxai.selection.SurgeryPlan;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The selection (docs/method.md#selection) without the whole score matrix: every row block proposes its k best
 * rows per CLIP column, and the best k of all proposals per column is what a scan of the whole
 * matrix finds (ties keep the lower row, as {@link Selection} does).
 *
 * @param rows   global standalone rows, {@code [column of the block's CLIP tap][rank]}
 * @param scores their scores, best first
 */
record ColumnCandidates(String colTap, int[][] rows, float[][] scores) implements Serializable {
    /** How many candidates per column a rule needs; one-to-one needs the whole matrix and is refused. */
    static int candidates(Selection rule) {
        return switch (rule) {
            case Selection.Argmax a -> 1;
            case Selection.Threshold t -> 1;
            case Selection.TopK t -> t.k();
            case OneToOne o -> throw new IllegalArgumentException("selection " + rule.describe()
                    + " solves one assignment over the whole score matrix, which a distributed audit never gathers;"
                    + " use argmax, top-K or threshold:T with --spark");
        };
    }

    /** The k best rows per column of one block of scores ({@code rows x cols}, row-major), rows offset by {@code firstRow}. */
    static ColumnCandidates of(String colTap, float[] blockScores, int rows, int cols, int firstRow, int k) {
        ScoreMatrix block = new ScoreMatrix(List.of(new TapBlock("block", 0, rows, 1, 1)), List.of(new TapBlock(colTap, 0, cols, 1, 1)),
                blockScores);
        SurgeryPlan best = Selection.topK(Math.min(k, rows)).select(block);
        int[][] r = new int[cols][];
        float[][] s = new float[cols][];
        for (int j = 0; j < cols; j++) {
            r[j] = best.sources(j).clone();
            for (int a = 0; a < r[j].length; a++) {
                r[j][a] += firstRow;
            }
            s[j] = best.scores(j).clone();
        }
        return new ColumnCandidates(colTap, r, s);
    }

    /** The surgery plan from the candidates of every block. */
    static SurgeryPlan plan(Selection rule, ChannelStats standalone, ChannelStats clip, List<ColumnCandidates> blocks) {
        int k = candidates(rule);
        int cols = clip.mean().length;
        List<List<long[]>> pool = new ArrayList<>(); // per column: {row, float bits}
        for (int j = 0; j < cols; j++) {
            pool.add(new ArrayList<>());
        }
        for (ColumnCandidates c : blocks) {
            int offset = clip.tap(c.colTap).offset();
            for (int j = 0; j < c.rows.length; j++) {
                for (int a = 0; a < c.rows[j].length; a++) {
                    pool.get(offset + j).add(new long[] {c.rows[j][a], Float.floatToIntBits(c.scores[j][a])});
                }
            }
        }
        Comparator<long[]> best = Comparator.<long[]>comparingDouble(e -> -Float.intBitsToFloat((int) e[1]))
                .thenComparingLong(e -> e[0]);
        int[][] sources = new int[cols][];
        float[][] scores = new float[cols][];
        for (int j = 0; j < cols; j++) {
            List<long[]> top = pool.get(j).stream().sorted(best).limit(k).toList();
            sources[j] = top.stream().mapToInt(e -> (int) e[0]).toArray();
            scores[j] = new float[top.size()];
            for (int a = 0; a < top.size(); a++) {
                scores[j][a] = Float.intBitsToFloat((int) top.get(a)[1]);
            }
            if (rule instanceof Selection.Threshold(float t) && (scores[j].length == 0 || scores[j][0] < t)) {
                sources[j] = new int[0];
                scores[j] = new float[0];
            }
        }
        return new SurgeryPlan(rule.describe(), standalone.taps(), clip.taps(), sources, scores);
    }
}
