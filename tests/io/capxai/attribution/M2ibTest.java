package io.capxai.attribution;

import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class M2ibTest {
    private static final String CAPTION = "a photo of the digit 3.";
    private static ClipScorer clip;
    private static Tensor image;

    @BeforeAll
    static void model() {
        clip = SmallClip.vit(7);
        image = SmallClip.image(11, clip.resolution());
    }

    private static double mean(Tensor t) {
        return t.mean().item_double();
    }

    @Test
    void mapsHaveTheInputsSizeAndSpanZeroToOne() {
        AttributionMap map = new M2ib(clip, M2ibOptions.DEFAULTS).explain(image, CAPTION);
        assertEquals(64, map.height());
        assertEquals(64, map.width());
        float lo = 1;
        float hi = 0;
        for (float v : map.image()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        assertEquals(0f, lo);
        assertEquals(1f, hi);
        int eot = ClipScorer.eotIndex(clip.tokens(CAPTION, image));
        assertEquals(eot + 1, map.text().length, "one value per token, SOT to EOT");
        assertEquals("2", map.options().get("image_layer"), "three quarters of 4 blocks, but not the last");
        assertEquals(9, M2ibOptions.defaultLayer(12, false), "the paper's layer for ViT-B/32");
        assertEquals("0.1", map.options().get("beta"));
    }

    @Test
    void mapsAreDeterministicUnderASeedAndChangeWithIt() {
        M2ib a = new M2ib(clip, M2ibOptions.DEFAULTS.withSeed(3));
        Tensor tokens = clip.tokens(CAPTION, image);
        float[] first = a.imageMap(image, tokens);
        assertArrayEquals(first, a.imageMap(image, tokens));
        // Only the cosine term sees the noise (the KL term's gradient does not depend on it): with
        // beta = 0 another seed must give another map.
        M2ibOptions noiseOnly = M2ibOptions.DEFAULTS.withBeta(0).withSteps(3);
        float[] one = new M2ib(clip, noiseOnly.withSeed(3)).imageMap(image, tokens);
        assertArrayEquals(one, new M2ib(clip, noiseOnly.withSeed(3)).imageMap(image, tokens));
        float[] other = new M2ib(clip, noiseOnly.withSeed(4)).imageMap(image, tokens);
        assertFalse(java.util.Arrays.equals(one, other), "another seed draws other noise");
    }

    @Test
    void withoutTheInformationTermNothingIsWorthClosingAndAHeavyOneClosesEverything() {
        Tensor tokens = clip.tokens(CAPTION, image);
        double start = 1 / (1 + Math.exp(-5));
        // beta = 0 and the target is the image's own clean embedding: noise can only hurt, so lambda -> 1.
        M2ib free = new M2ib(clip, M2ibOptions.DEFAULTS.withBeta(0));
        double own = mean(free.imageBottleneckTowards(image, clip.imageEmbedding(image)).lambda());
        assertTrue(own > start, "beta = 0, own embedding: mean lambda " + own + " should rise above " + start);
        // Towards a caption some features may be worth dropping, but the more beta the more closes.
        double open = mean(free.imageBottleneck(image, tokens).lambda());
        double usual = mean(new M2ib(clip, M2ibOptions.DEFAULTS).imageBottleneck(image, tokens).lambda());
        double closed = mean(new M2ib(clip, M2ibOptions.DEFAULTS.withBeta(1000)).imageBottleneck(image, tokens).lambda());
        assertTrue(open > usual && usual > closed, "lambda " + open + " > " + usual + " > " + closed);
        assertTrue(closed < 0.05, "beta = 1000: mean lambda " + closed);
        double closedText = mean(new M2ib(clip, M2ibOptions.DEFAULTS.withBeta(1000)).textBottleneck(image, tokens).lambda());
        assertTrue(closedText < 0.05, "text lambda " + closedText);
    }

    @Test
    void cachingTheEarlyBlocksGivesTheSameMapAsRecomputingTheTower() {
        M2ib cached = new M2ib(clip, M2ibOptions.DEFAULTS.withSteps(3));
        Tensor tokens = clip.tokens(CAPTION, image);
        assertArrayEquals(cached.imageMap(image, tokens), cached.recomputingWholeTower().imageMap(image, tokens), 1e-3f);
        assertArrayEquals(cached.textMap(image, tokens), cached.recomputingWholeTower().textMap(image, tokens), 1e-3f);
    }

    @Test
    void worksOnAModifiedResNetTower() {
        ClipScorer rn = SmallClip.resnet(5);
        Tensor picture = SmallClip.image(2, rn.resolution());
        AttributionMap map = new M2ib(rn, M2ibOptions.DEFAULTS.withSteps(2)).explain(picture, CAPTION);
        assertEquals("visual.layer3", map.options().get("image_block"));
        assertEquals(64 * 64, map.image().length);
        assertTrue(max(map.image()) == 1f);
    }

    @Test
    void rejectsBadInputsWithClearMessages() {
        M2ib m2ib = new M2ib(clip, M2ibOptions.DEFAULTS);
        Tensor nan = image.clone();
        nan.fill_(new org.bytedeco.pytorch.Scalar(Double.NaN));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> m2ib.explain(nan, CAPTION)).getMessage().contains("NaN"));
        Tensor wrong = Tensors.fromFloats(new float[3 * 8 * 8], 1, 3, 8, 8);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> m2ib.explain(wrong, CAPTION)).getMessage().contains("[1, 3, 64, 64]"));
        assertThrows(IllegalArgumentException.class, () -> m2ib.explain(image, " "));
        assertThrows(IllegalArgumentException.class, () -> new M2ib(clip, M2ibOptions.DEFAULTS.withLayers(4, -1)));
        assertThrows(IllegalArgumentException.class, () -> M2ibOptions.DEFAULTS.withBeta(Double.NaN));
    }

    private static float max(float[] v) {
        float m = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            m = Math.max(m, x);
        }
        return m;
    }
}
