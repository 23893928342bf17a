package io.capxai.probing;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerdictTest {
    static final CaptionSet CAPTIONS = CaptionSet.coloredMnist();   // 0: "5", 1: "8", 2: green, 3: red
    static final int FIVE = 0, EIGHT = 1, GREEN = 2, RED = 3;

    /** Image i: digit 5 in red when even, 8 in green when odd (the biased colouring). */
    static ImageLabels biasedLabels(int n) {
        String[][] labels = new String[n][];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2 == 0 ? new String[] {"5", "red"} : new String[] {"8", "green"};
        }
        return new ImageLabels(List.of("shape", "colour"), labels);
    }

    static float[] oneHot(int caption, float base, float peak) {
        float[] row = new float[4];
        Arrays.fill(row, base);
        row[caption] = peak;
        return row;
    }

    @Test
    void countsHitsPerConceptForBeforeAfterAndInfluence() {
        int n = 10;
        ImageLabels labels = biasedLabels(n);
        float[][] before = new float[n][];
        float[][] after = new float[n][];
        for (int i = 0; i < n; i++) {
            boolean five = i % 2 == 0;
            // before: CLIP reads the shape, except on images 0 and 1 where it says the wrong digit
            int shape = (i < 2) != five ? FIVE : EIGHT;
            before[i] = oneHot(shape, 0.20f, 0.30f);
            // after: the grafted model pushes the colour; images 0..6 correct, 7..9 wrong colour
            boolean rightColour = i < 7;
            int colour = five == rightColour ? RED : GREEN;
            after[i] = before[i].clone();
            after[i][colour] += 0.2f;
        }
        Verdict v = Verdict.of("layer4", CAPTIONS, labels, before, after);
        assertEquals(10, v.images());
        ConceptHits shapeBefore = v.before().hits("shape");
        assertEquals(8, shapeBefore.correct().count());
        assertEquals(2, shapeBefore.wrong().count());
        assertEquals(0, v.before().hits("colour").total().count());
        assertEquals("shape", v.before().dominant());
        ConceptHits colourInfluence = v.influence().hits("colour");
        assertEquals(7, colourInfluence.correct().count());
        assertEquals(3, colourInfluence.wrong().count());
        assertEquals(1.0, colourInfluence.total().value());
        assertEquals("colour", v.influence().dominant());
        // after: colour (0.4) beats shape (0.3) everywhere
        assertEquals(10, v.after().hits("colour").total().count());
        assertEquals(RED, v.after().topCaption()[0]);
        assertTrue(v.answer().startsWith("dominant concept: colour, 100 % ["), v.answer());
    }

    @Test
    void wilsonIntervalsMatchTheFormula() {
        Share s = Share.of(78, 100);
        assertEquals(0.78, s.value(), 1e-12);
        // Wilson bounds are the p0 where the score test is exactly at z: (p - p0)^2 = z^2 p0 (1 - p0) / n
        for (double p0 : new double[] {s.lower(), s.upper()}) {
            assertEquals(Math.pow(0.78 - p0, 2), Share.Z95 * Share.Z95 * p0 * (1 - p0) / 100, 1e-12);
        }
        assertEquals(0.6893, s.lower(), 1e-4);
        assertEquals(0.8500, s.upper(), 1e-4);
        Share none = Share.of(0, 20);
        assertEquals(0.0, none.lower(), 1e-12);
        assertEquals(0.1611, none.upper(), 1e-4);
        assertEquals("78 % [69, 85]", s.percent());
        assertThrows(IllegalArgumentException.class, () -> Share.of(3, 2));
    }

    /**
     * docs/method.md#defects-of-the-reference-code, first defect: the reference evaluation stacks a batch's before- and after-surgery
     * embeddings and slices the similarity matrix with stride 2, so for batch size > 1 a "before"
     * row and its "after" row come from different images. Here each image's own difference points
     * at its correct colour, while the differences between neighbouring images point at a shape
     * caption: per-image pairing must say colour, the strided pairing says shape.
     */
    @Test
    void influenceComparesEachImageWithItself() {
        int n = 8;
        ImageLabels labels = biasedLabels(n);
        float[][] before = new float[n][];
        float[][] after = new float[n][];
        for (int i = 0; i < n; i++) {
            before[i] = new float[] {0.2f, 0.2f, 0.2f, 0.2f};
            before[i][i % 2 == 0 ? EIGHT : FIVE] += 0.1f;        // image-specific baseline
            after[i] = before[i].clone();
            after[i][i % 2 == 0 ? RED : GREEN] += 0.05f;        // surgery: the correct colour
        }
        Verdict perImage = Verdict.of("layer4", CAPTIONS, labels, before, after);
        assertEquals(n, perImage.influence().hits("colour").correct().count());
        assertTrue(perImage.answer().startsWith("dominant concept: colour"), perImage.answer());

        float[][][] strided = referenceStridedPairing(before, after, 4);
        Verdict mixed = Verdict.of("layer4", CAPTIONS, labels, strided[0], strided[1]);
        assertEquals("shape", mixed.influence().dominant(), "the fixture must expose the defect");
        assertNotEquals(perImage.influence().dominant(), mixed.influence().dominant());
    }

    /** The reference code's pairing: per batch, rows [before_0..before_B-1, after_0..after_B-1], then [0::2] vs [1::2]. */
    static float[][][] referenceStridedPairing(float[][] before, float[][] after, int batch) {
        int n = before.length;
        float[][] b = new float[n][];
        float[][] a = new float[n][];
        int out = 0;
        for (int start = 0; start < n; start += batch) {
            int size = Math.min(batch, n - start);
            float[][] stacked = new float[2 * size][];
            for (int k = 0; k < size; k++) {
                stacked[k] = before[start + k];
                stacked[size + k] = after[start + k];
            }
            for (int k = 0; k + 1 < stacked.length; k += 2) {
                b[out] = stacked[k];
                a[out] = stacked[k + 1];
                out++;
            }
        }
        return new float[][][] {b, a};
    }

    @Test
    void severalVariantsGiveOneVerdictEach() {
        int n = 40;
        Random rnd = new Random(3);
        ImageLabels labels = biasedLabels(n);
        float[][] before = new float[n][4];
        for (float[] row : before) {
            for (int k = 0; k < 4; k++) {
                row[k] = 0.2f + 0.01f * rnd.nextFloat();
            }
        }
        List<Verdict.Variant> variants = List.of(
                new Verdict.Variant("layer1", before, shifted(before, labels, true)),
                new Verdict.Variant("layer1..layer4", before, shifted(before, labels, false)));
        List<Verdict> verdicts = Verdict.ofAll(CAPTIONS, labels, variants);
        assertEquals(List.of("layer1", "layer1..layer4"), verdicts.stream().map(Verdict::variant).toList());
        assertEquals("shape", verdicts.get(0).influence().dominant());
        assertEquals("colour", verdicts.get(1).influence().dominant());
        assertArrayEquals(verdicts.get(0).before().topCaption(), verdicts.get(1).before().topCaption());
    }

    private static float[][] shifted(float[][] before, ImageLabels labels, boolean towardsShape) {
        float[][] after = new float[before.length][];
        for (int i = 0; i < before.length; i++) {
            after[i] = before[i].clone();
            boolean five = labels.label(i, "shape").equals("5");
            int target = towardsShape ? (five ? FIVE : EIGHT) : (five ? RED : GREEN);
            after[i][target] += 0.05f;
        }
        return after;
    }

    @Test
    void badInputIsRejectedWithAClearMessage() {
        ImageLabels labels = biasedLabels(2);
        float[][] ok = {{0, 0, 0, 1}, {0, 0, 1, 0}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Verdict.of("v", CAPTIONS, labels, new float[][] {{0, 0, 0, 1}}, ok));
        assertTrue(e.getMessage().contains("one row per labelled image (2)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Verdict.of("v", CAPTIONS, labels, ok, new float[][] {{0, 0, 0, 1}, {0, Float.NaN, 1, 0}}));
        assertTrue(e.getMessage().contains("after similarity of image 1 to caption 1 is NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Verdict.of("v", CAPTIONS, labels, ok, new float[][] {{0, 0, 1}, {0, 0, 1, 0}}));
        assertTrue(e.getMessage().contains("image 0 need one value per caption (4)"), e.getMessage());
        ImageLabels shapeOnly = new ImageLabels(List.of("shape"), new String[][] {{"5"}, {"8"}});
        e = assertThrows(IllegalArgumentException.class, () -> Verdict.of("v", CAPTIONS, shapeOnly, ok, ok));
        assertTrue(e.getMessage().contains("no labels for concept 'colour'"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new ImageLabels(List.of("shape", "colour"), new String[][] {{"5", " "}}));
    }
}
