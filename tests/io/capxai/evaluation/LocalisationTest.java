package io.capxai.evaluation;

import io.capxai.concepts.OodDetection;
import io.capxai.data.Canvas.Box;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class LocalisationTest {
    @Test
    void pointingAndBoxMass() {
        float[] map = new float[10 * 10];
        map[3 * 10 + 4] = 1f;     // peak at (4, 3)
        map[8 * 10 + 8] = 0.5f;
        assertTrue(Localisation.pointingHit(map, 10, List.of(new Box(4, 3, 5, 4))));
        assertFalse(Localisation.pointingHit(map, 10, List.of(new Box(5, 3, 9, 9))));
        assertEquals(1 / 1.5, Localisation.boxMass(map, 10, List.of(new Box(0, 0, 5, 5))), 1e-9);
        assertEquals(0, Localisation.boxMass(new float[100], 10, List.of(new Box(0, 0, 5, 5))));
    }

    @Test
    void largestComponentIsFoundAndSmallerOnesIgnored() {
        float[] map = new float[12 * 12];
        fill(map, 12, 1, 1, 6, 5, 0.9f);   // 5x4 = 20 px
        fill(map, 12, 8, 8, 11, 10, 0.95f); // 3x2 = 6 px
        assertEquals(new Box(1, 1, 6, 5), Localisation.largestComponentBox(map, 12, 0.5));
        assertEquals(new Box(8, 8, 11, 10), Localisation.largestComponentBox(map, 12, 0.92));
        assertNull(Localisation.largestComponentBox(map, 12, 0.99));
    }

    @Test
    void maxBoxAccPicksTheBestThreshold() {
        // object at (2..6, 2..6); a weaker halo around it: low thresholds give a box too large (IoU < 0.5)
        float[] map = new float[16 * 16];
        fill(map, 16, 0, 0, 12, 12, 0.3f);
        fill(map, 16, 2, 2, 6, 6, 0.8f);
        Localisation.BoxAccuracy acc = Localisation.maxBoxAcc(List.of(new Localisation.Sample(map, 16, List.of(new Box(2, 2, 6, 6)))));
        assertEquals(1.0, acc.accuracy());
        assertTrue(acc.threshold() > 0.3 && acc.threshold() <= 0.8, "threshold " + acc.threshold());
        float[] wrong = new float[16 * 16];
        fill(wrong, 16, 10, 10, 15, 15, 1f);
        assertEquals(0.5, Localisation.maxBoxAcc(List.of(new Localisation.Sample(map, 16, List.of(new Box(2, 2, 6, 6))),
                new Localisation.Sample(wrong, 16, List.of(new Box(2, 2, 6, 6))))).accuracy());
    }

    @Test
    void aurocMatchesPairCounting() {
        Random rng = new Random(9);
        double[] in = new double[40], out = new double[30];
        for (int i = 0; i < in.length; i++) in[i] = Math.round(rng.nextGaussian() * 4 + 2) / 4.0;
        for (int i = 0; i < out.length; i++) out[i] = Math.round(rng.nextGaussian() * 4) / 4.0;
        double pairs = 0;
        for (double a : in) for (double b : out) pairs += a > b ? 1 : a == b ? 0.5 : 0;
        assertEquals(pairs / (in.length * out.length), OodDetection.auroc(in, out), 1e-12);
        assertEquals(1.0, OodDetection.auroc(new double[] {2, 3}, new double[] {0, 1}));
        assertEquals(0.5, OodDetection.auroc(new double[] {1, 1}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> OodDetection.auroc(new double[0], out));
    }

    @Test
    void badMapsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Localisation.pointingHit(new float[10], 3, List.of()));
        float[] nan = new float[9];
        nan[4] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> Localisation.boxMass(nan, 3, List.of()));
    }

    private static void fill(float[] map, int w, int x0, int y0, int x1, int y1, float v) {
        for (int y = y0; y < y1; y++) for (int x = x0; x < x1; x++) map[y * w + x] = v;
    }
}
