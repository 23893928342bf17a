package io.capxai.attribution;

import io.capxai.evaluation.SanityCheck;
import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BaselinesTest {
    private static final String CAPTION = "a photo of a boot.";
    private static ClipScorer clip;
    private static Tensor image;

    @BeforeAll
    static void model() {
        clip = SmallClip.vit(9);
        image = SmallClip.image(1, clip.resolution());
    }

    private static void assertProperMap(AttributionMap map, String name) {
        assertEquals(name, map.method());
        assertEquals(64 * 64, map.image().length);
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (float v : map.image()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        assertEquals(0f, lo, name);
        assertEquals(1f, hi, name);
        assertNull(map.text());
    }

    @Test
    void everyBaselineGivesANonTrivialDeterministicMap() {
        for (Attribution method : List.of(new GradientSaliency(clip), new GradCam(clip, -1), new Rise(clip, 64, 4, 0.5, 1))) {
            AttributionMap first = method.explain(image, CAPTION);
            assertProperMap(first, method.name());
            assertArrayEquals(first.image(), method.explain(image, CAPTION).image(), 1e-6f, method.name());
        }
    }

    @Test
    void riseHidesPixelsByBlackingThemOut() {
        Tensor img = io.capxai.data.ClipPreprocess.clip(8).apply(io.capxai.data.RgbImage.black(8, 8)).add(
                torch.rand(1, 3, 8, 8)); // any normalised image
        Tensor masks = torch.zeros(2, 1, 8, 8);
        masks.select(0, 1).fill_(new org.bytedeco.pytorch.Scalar(1.0));
        Tensor out = Rise.masked(img, masks);
        // mask 0: every pixel is black once CLIP's normalisation is undone; mask 1: the image unchanged
        float[] mean = io.capxai.data.ClipPreprocess.CLIP_MEAN;
        float[] std = io.capxai.data.ClipPreprocess.CLIP_STD;
        float[] hidden = Tensors.toFloats(out.select(0, 0));
        for (int i = 0; i < hidden.length; i++) {
            int c = i / 64;
            assertEquals(0f, hidden[i] * std[c] + mean[c], 1e-6f, "pixel " + i);
        }
        assertArrayEquals(Tensors.toFloats(img), Tensors.toFloats(out.select(0, 1)), 1e-6f);
    }

    @Test
    void gradCamOfAViTIsConstantOverEachPatch() {
        // 64 px with 16 px patches: a 4x4 grid resized bilinearly, so pixel values vary smoothly
        // but the map has at most 16 degrees of freedom: the centre of every patch is a grid value.
        AttributionMap map = new GradCam(clip, 2).explain(image, CAPTION);
        assertEquals("visual.transformer.resblocks.2", map.options().get("block"));
        float[] m = map.image();
        int distinct = (int) java.util.stream.IntStream.range(0, m.length).mapToDouble(i -> m[i]).distinct().count();
        assertTrue(distinct > 16, "bilinear resize interpolates between patch values");
    }

    @Test
    void sanityCheckMapsChangeWhenTheWeightsAreRandomised() {
        Tensor tokens = clip.tokens(CAPTION, image);
        GradCam gradCam = new GradCam(clip, -1);
        float[] before = gradCam.explain(image, CAPTION).image();
        List<SanityCheck.Step> steps = SanityCheck.cascading(clip.clip(), () -> gradCam.explain(image, CAPTION).image(), 0);
        assertEquals(4, steps.size());
        assertEquals("visual.transformer.resblocks.3", steps.getFirst().block());
        assertTrue(steps.getLast().rankCorrelation() < 0.9, "all blocks random: " + steps);
        assertArrayEquals(before, gradCam.explain(image, CAPTION).image(), 1e-6f, "weights restored");
        assertTrue(tokens.size(1) == 77);
    }
}
