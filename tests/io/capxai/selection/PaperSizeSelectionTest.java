package io.capxai.selection;

import io.capxai.matching.ScoreMatrix;
import io.capxai.matching.TapBlock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Selection on the paper's matrix size (22,720 x 3,840, 87 M floats, 350 MB): run with
 * {@code -Dcapxai.paperSize=true} (off by default: the machine is shared). Prints the times.
 */
@EnabledIfSystemProperty(named = "capxai.paperSize", matches = "true")
class PaperSizeSelectionTest {
    static final int ROWS = 22_720;
    static final int COLS = 3_840;

    @Test
    void randomMatrix() {
        ScoreMatrix m = build(0.0);
        run("random", m);
        long t0 = System.nanoTime();
        SurgeryPlan dense = Selection.oneToOne(0).select(m);
        System.out.printf("[random] dense exact one-to-one %.2f s, total %.3f%n", (System.nanoTime() - t0) / 1e9,
                SelectionTest.total(m, dense));
        assertEquals(COLS, dense.distinctSources());
    }

    /** Scores with shared row and column factors: a few standalone channels are everybody's favourite. */
    @Test
    void hubMatrix() {
        run("hubs", build(1.5));
    }

    private static ScoreMatrix build(double hubWeight) {
        SplittableRandom rnd = new SplittableRandom(7);
        double[] rowFactor = new double[ROWS];
        for (int i = 0; i < ROWS; i++) {
            rowFactor[i] = Math.pow(rnd.nextDouble(), 8);   // most near 0, a few near 1
        }
        float[] v = new float[ROWS * COLS];
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < COLS; j++) {
                v[i * COLS + j] = (float) (0.1 * rnd.nextDouble() + hubWeight * rowFactor[i] * 0.1);
            }
        }
        return new ScoreMatrix(List.of(new TapBlock("standalone", 0, ROWS, 7, 7)),
                List.of(new TapBlock("clip", 0, COLS, 7, 7)), v);
    }

    private static void run(String name, ScoreMatrix m) {
        long t0 = System.nanoTime();
        SurgeryPlan argmax = Selection.argmax().select(m);
        long t1 = System.nanoTime();
        SurgeryPlan top64 = Selection.topK(64).select(m);
        long t2 = System.nanoTime();
        SurgeryPlan oneToOne = Selection.oneToOne().select(m);
        long t3 = System.nanoTime();
        System.out.printf("[%s] argmax %.2f s (%d distinct), top-64 %.2f s, %s %.2f s (total %.3f vs argmax %.3f)%n",
                name, (t1 - t0) / 1e9, argmax.distinctSources(), (t2 - t1) / 1e9, oneToOne.rule(), (t3 - t2) / 1e9,
                SelectionTest.total(m, oneToOne), SelectionTest.total(m, argmax));
        assertEquals(COLS, oneToOne.distinctSources());
        assertEquals(COLS, top64.replacedCount());
        assertTrue(SelectionTest.total(m, oneToOne) <= SelectionTest.total(m, argmax) + 1e-3);
    }
}
