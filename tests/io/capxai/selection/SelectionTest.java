package io.capxai.selection;

import io.capxai.matching.ScoreMatrix;
import io.capxai.matching.TapBlock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SelectionTest {
    /** rows split over two standalone taps, cols over two CLIP taps. */
    static ScoreMatrix randomMatrix(int rows, int cols, long seed) {
        Random rnd = new Random(seed);
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return matrix(rows, cols, v);
    }

    static ScoreMatrix matrix(int rows, int cols, float[] v) {
        int r1 = Math.max(1, rows / 3);
        int c1 = Math.max(1, cols / 2);
        List<TapBlock> r = new ArrayList<>(List.of(new TapBlock("conv1", 0, r1, 8, 8)));
        if (rows > r1) {
            r.add(new TapBlock("layer1.0.conv1", r1, rows - r1, 4, 4));
        }
        List<TapBlock> c = new ArrayList<>(List.of(new TapBlock("layer1", 0, c1, 4, 4)));
        if (cols > c1) {
            c.add(new TapBlock("layer2", c1, cols - c1, 2, 2));
        }
        return new ScoreMatrix(r, c, v);
    }

    @Test
    void argmaxPicksTheBestRowOfEveryColumnAndCountsDistinctRows() {
        ScoreMatrix m = randomMatrix(50, 12, 1);
        SurgeryPlan plan = Selection.argmax().select(m);
        boolean[] used = new boolean[50];
        for (int j = 0; j < 12; j++) {
            int best = 0;
            for (int i = 1; i < 50; i++) {
                if (m.score(i, j) > m.score(best, j)) {
                    best = i;
                }
            }
            assertArrayEquals(new int[] {best}, plan.sources(j), "column " + j);
            assertEquals(m.score(best, j), plan.scores(j)[0]);
            used[best] = true;
        }
        int distinct = 0;
        for (boolean u : used) {
            distinct += u ? 1 : 0;
        }
        assertEquals(distinct, plan.distinctSources());
        assertEquals(12, plan.replacedCount());
    }

    @Test
    void argmaxIsManyToOneAndBreaksTiesTowardsTheLowerRow() {
        // rows 1 and 2 tie as the best for both columns
        float[] v = {0, 0, 5, 5, 5, 5, 1, 1};
        ScoreMatrix m = matrix(4, 2, v);
        SurgeryPlan plan = Selection.argmax().select(m);
        assertArrayEquals(new int[] {1}, plan.sources(0));
        assertArrayEquals(new int[] {1}, plan.sources(1));
        assertEquals(1, plan.distinctSources());
    }

    @Test
    void topKReturnsTheKBestRowsInOrder() {
        ScoreMatrix m = randomMatrix(40, 9, 2);
        SurgeryPlan plan = Selection.topK(5).select(m);
        for (int j = 0; j < 9; j++) {
            final int col = j;
            int[] expected = IntStream.range(0, 40).boxed()
                    .sorted(Comparator.comparingDouble((Integer i) -> -m.score(i, col)).thenComparingInt(i -> i))
                    .limit(5).mapToInt(Integer::intValue).toArray();
            assertArrayEquals(expected, plan.sources(j), "column " + j);
            for (int r = 0; r < 5; r++) {
                assertEquals(m.score(expected[r], j), plan.scores(j)[r]);
            }
        }
        assertEquals("top-5", plan.rule());
    }

    @Test
    void thresholdLeavesWeakColumnsToClip() {
        ScoreMatrix m = randomMatrix(30, 20, 3);
        SurgeryPlan all = Selection.argmax().select(m);
        float t = 2.0f;
        SurgeryPlan plan = Selection.threshold(t).select(m);
        int expectedReplaced = 0;
        for (int j = 0; j < 20; j++) {
            boolean strong = all.scores(j)[0] >= t;
            expectedReplaced += strong ? 1 : 0;
            assertEquals(strong, plan.replaces(j), "column " + j);
            if (strong) {
                assertArrayEquals(all.sources(j), plan.sources(j));
            }
        }
        assertTrue(expectedReplaced > 0 && expectedReplaced < 20, "the fixture should have both kinds of column");
        assertEquals(expectedReplaced, plan.replacedCount());
    }

    @Test
    void oneToOneMatchesBruteForceOnSmallMatrices() {
        for (long seed = 0; seed < 20; seed++) {
            ScoreMatrix m = randomMatrix(7, 5, seed);
            SurgeryPlan plan = Selection.oneToOne().select(m);
            assertEquals(bruteForceBest(m), total(m, plan), 1e-5, "seed " + seed);
            assertDistinctRows(plan);
            assertEquals(5, plan.replacedCount());
        }
    }

    @Test
    void oneToOneWithFewerRowsThanColumnsReplacesOnlyAsManyColumnsAsRows() {
        for (long seed = 0; seed < 20; seed++) {
            ScoreMatrix m = randomMatrix(5, 7, 100 + seed);
            SurgeryPlan plan = Selection.oneToOne().select(m);
            assertEquals(5, plan.replacedCount());
            assertDistinctRows(plan);
            assertEquals(bruteForceBest(m), total(m, plan), 1e-5, "seed " + seed);
        }
    }

    @Test
    void candidateRestrictedOneToOneIsProvenOptimalOnlyWhenItIs() {
        int proven = 0;
        for (long seed = 0; seed < 30; seed++) {
            ScoreMatrix m = randomMatrix(10, 5, 200 + seed);
            SurgeryPlan plan = new OneToOne(3).restricted(m);
            assertDistinctRows(plan);
            assertEquals(5, plan.replacedCount());
            double best = bruteForceBest(m);
            assertTrue(total(m, plan) <= best + 1e-5);
            if (provenOptimal(plan)) {
                proven++;
                assertEquals(best, total(m, plan), 1e-5, "seed " + seed + " claims optimality");
            }
        }
        assertTrue(proven > 0, "three candidates out of ten rows should often suffice");
        ScoreMatrix m = randomMatrix(12, 5, 9);
        SurgeryPlan all = new OneToOne(11).restricted(m);
        assertTrue(provenOptimal(all), all.rule());
        assertEquals(bruteForceBest(m), total(m, all), 1e-5);
    }

    @Test
    void candidateRestrictedAndDenseAgreeOnMediumMatricesWithHubRows() {
        Random rnd = new Random(21);
        for (int trial = 0; trial < 5; trial++) {
            int rows = 300;
            int cols = 60;
            float[] v = new float[rows * cols];
            for (int i = 0; i < rows; i++) {
                double hub = i % 37 == 0 ? 0.5 : 0;      // a few rows every column likes
                for (int j = 0; j < cols; j++) {
                    v[i * cols + j] = (float) (hub + rnd.nextGaussian() * 0.2);
                }
            }
            ScoreMatrix m = matrix(rows, cols, v);
            double exact = total(m, Selection.oneToOne(0).select(m));
            for (int k : new int[] {4, 16, 64}) {
                SurgeryPlan plan = new OneToOne(k).restricted(m);
                assertDistinctRows(plan);
                assertEquals(cols, plan.replacedCount());
                assertTrue(total(m, plan) <= exact + 1e-4, plan.rule());
                if (provenOptimal(plan)) {
                    assertEquals(exact, total(m, plan), 1e-4, "trial " + trial + ", " + plan.rule());
                }
            }
            assertTrue(provenOptimal(new OneToOne(64).restricted(m)),
                    "64 of 300 candidates should prove optimality here");
        }
    }

    @Test
    void candidateRestrictedOneToOneStaysFeasibleWhenCandidatesCollide() {
        // Every column's single candidate is row 0: four columns must fall back to other rows.
        Random rnd = new Random(11);
        float[] v = new float[8 * 5];
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 5; j++) {
                v[i * 5 + j] = i == 0 ? 10 + j : rnd.nextFloat();
            }
        }
        SurgeryPlan plan = new OneToOne(1).restricted(matrix(8, 5, v));
        assertDistinctRows(plan);
        assertEquals(5, plan.replacedCount());
        assertTrue(plan.rule().contains("4 columns matched in"), plan.rule());
        assertArrayEquals(new int[] {0}, plan.sources(4), "row 0 goes to the column where it scores most");
        assertTrue(total(m8x5(v), plan) <= bruteForceBest(m8x5(v)) + 1e-5);
    }

    private static boolean provenOptimal(SurgeryPlan plan) {
        return plan.rule().endsWith(", proven optimal)");
    }

    private static ScoreMatrix m8x5(float[] v) {
        return matrix(8, 5, v);
    }

    @Test
    void oneToOneBeatsArgmaxConflicts() {
        // Both columns prefer row 0; the best one-to-one total is 9 + 7 (rows 0 and 1), not 10 + 4.
        float[] v = {10, 9,
                     7, 1,
                     4, 4};
        SurgeryPlan plan = Selection.oneToOne().select(matrix(3, 2, v));
        assertArrayEquals(new int[] {1}, plan.sources(0));
        assertArrayEquals(new int[] {0}, plan.sources(1));
    }

    @Test
    void nanScoresAreRejectedWithTheirPosition() {
        float[] v = new float[12];
        v[7] = Float.NaN;
        ScoreMatrix m = matrix(4, 3, v);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Selection.argmax().select(m));
        assertTrue(e.getMessage().contains("row 2, column 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Selection.oneToOne().select(m));
    }

    @Test
    void badOptionsAreRejected() {
        ScoreMatrix m = randomMatrix(4, 3, 5);
        assertThrows(IllegalArgumentException.class, () -> Selection.topK(0));
        assertThrows(IllegalArgumentException.class, () -> Selection.topK(5).select(m));
        assertThrows(IllegalArgumentException.class, () -> Selection.threshold(Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> Selection.parse("best"));
        assertEquals(Selection.topK(3), Selection.parse("top-3"));
        assertEquals(Selection.threshold(0.25f), Selection.parse("threshold:0.25"));
        assertEquals(Selection.oneToOne(), Selection.parse("one-to-one"));
        assertEquals(Selection.oneToOne(0), Selection.parse("one-to-one:0"));
    }

    static void assertDistinctRows(SurgeryPlan plan) {
        int[] rows = IntStream.range(0, plan.columnCount()).filter(plan::replaces)
                .map(j -> plan.sources(j)[0]).toArray();
        assertEquals(rows.length, Arrays.stream(rows).distinct().count(), "a row is used twice: " + Arrays.toString(rows));
    }

    static double total(ScoreMatrix m, SurgeryPlan plan) {
        double t = 0;
        for (int j = 0; j < plan.columnCount(); j++) {
            for (int row : plan.sources(j)) {
                t += m.score(row, j);
            }
        }
        return t;
    }

    /** Best total over all injective pairings (the smaller axis fully matched). */
    static double bruteForceBest(ScoreMatrix m) {
        int rows = m.rowCount();
        int cols = m.colCount();
        boolean transpose = cols > rows;
        int small = transpose ? rows : cols;
        int large = transpose ? cols : rows;
        return search(m, transpose, 0, small, new boolean[large]);
    }

    private static double search(ScoreMatrix m, boolean transpose, int k, int small, boolean[] taken) {
        if (k == small) {
            return 0;
        }
        double best = Double.NEGATIVE_INFINITY;
        for (int x = 0; x < taken.length; x++) {
            if (!taken[x]) {
                taken[x] = true;
                double s = (transpose ? m.score(k, x) : m.score(x, k)) + search(m, transpose, k + 1, small, taken);
                taken[x] = false;
                best = Math.max(best, s);
            }
        }
        return best;
    }
}
