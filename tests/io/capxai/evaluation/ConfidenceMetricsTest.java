package io.capxai.evaluation;

import io.capxai.attribution.ClipScorer;
import io.capxai.attribution.SmallClip;
import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfidenceMetricsTest {
    private static ClipScorer clip;
    private static Tensor image;
    private static Tensor tokens;

    @BeforeAll
    static void model() {
        clip = SmallClip.vit(3);
        image = SmallClip.image(5, clip.resolution());
        tokens = clip.tokens("a red shoe next to a green digit", image);
    }

    @Test
    void dropAndIncreaseFollowTheirDefinitions() {
        ConfidenceChange.Summary s = ConfidenceChange.summarise(List.of(
                new ConfidenceChange(0.30, 0.25), new ConfidenceChange(0.30, 0.40), new ConfidenceChange(0.2, 0.2),
                new ConfidenceChange(0.5, 0.1)));
        assertEquals((5 + 0 + 0 + 40) / 4.0, s.confidenceDrop(), 1e-9);
        assertEquals(25.0, s.confidenceIncreasePercent(), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> ConfidenceChange.summarise(List.of()));
    }

    @Test
    void medianMaskingKeepsSotAndEot() {
        // SOT, 4 content tokens, EOT: content median (0.2 + 0.6) / 2 = 0.4
        boolean[] masked = ConfidenceMetrics.tokensBelowMedian(new float[] {0f, 0.1f, 0.9f, 0.2f, 0.6f, 0f}, 5);
        assertArrayEquals(new boolean[] {false, true, false, true, false, false}, masked);
        // odd count: median is the middle value, which itself stays
        boolean[] odd = ConfidenceMetrics.tokensBelowMedian(new float[] {1f, 0.5f, 0.1f, 0.3f, 1f}, 4);
        assertArrayEquals(new boolean[] {false, false, true, false, false}, odd);
        assertThrows(IllegalArgumentException.class, () -> ConfidenceMetrics.tokensBelowMedian(new float[3], 4));
    }

    @Test
    void anAllOnesImageMapChangesNothingAndAZeroMapDoes() {
        ConfidenceMetrics metrics = new ConfidenceMetrics(clip);
        int n = clip.resolution() * clip.resolution();
        float[] ones = new float[n];
        Arrays.fill(ones, 1f);
        ConfidenceChange same = metrics.image(image, tokens, ones);
        assertEquals(same.original(), same.perturbed(), 1e-5);
        assertEquals(0.0, same.drop(), 1e-3);
        ConfidenceChange blank = metrics.image(image, tokens, new float[n]);
        float[] zeroImage = clip.cosines(image.mul(new org.bytedeco.pytorch.Scalar(0)), tokens);
        assertEquals(zeroImage[0], blank.perturbed(), 1e-5, "the whole 2-D map multiplies the image");
        assertThrows(IllegalArgumentException.class, () -> metrics.image(image, tokens, new float[n - 1]));
    }

    @Test
    void maskedTokensBecomeThePaddingTokenWhileClipStillPoolsAtEot() {
        int eot = ClipScorer.eotIndex(tokens);
        float[] map = new float[eot + 1];
        for (int i = 0; i < map.length; i++) {
            map[i] = i % 3 == 0 ? 0.05f * i : 1f; // a mix of low and high tokens
        }
        boolean[] masked = ConfidenceMetrics.tokensBelowMedian(map, eot);
        // With id 0 as the padding token, substituting embeddings must equal re-tokenising with 0s
        // (0 is below every real id, so the largest id, EOT, stays where it was).
        long[] ids = Tensors.toLongs(tokens);
        for (int i = 0; i < masked.length; i++) {
            if (masked[i]) {
                ids[i] = 0;
            }
        }
        float expected = clip.cosines(image, Tensors.fromLongs(ids, 1, ids.length))[0];
        ConfidenceChange change = new ConfidenceMetrics(clip, 0).text(image, tokens, map);
        assertEquals(expected, change.perturbed(), 1e-5);
        assertNotEquals(change.original(), change.perturbed());
        // The default padding token (<|endoftext|>) gives another, still finite, result.
        ConfidenceChange withEot = new ConfidenceMetrics(clip).text(image, tokens, map);
        assertTrue(Double.isFinite(withEot.perturbed()));
        assertEquals(change.original(), withEot.original(), 1e-6);
        assertFalse(new ConfidenceMetrics(clip).text(image, tokens, new float[eot + 1]).increased(),
                "a constant map masks nothing");
    }
}
