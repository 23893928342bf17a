package io.capxai.models;

import io.capxai.tensors.Autograd;
import io.capxai.taps.TapSet;
import io.capxai.weights.StateDict;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.capxai.models.Fixtures.assertClose;
import static io.capxai.models.Fixtures.assertCloseL2;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CLIP ModifiedResNet, ViT (fp16 weights) and text towers against the published architecture in
 * PyTorch (tests/reference/clip_reference.py), small random models.
 */
class ClipParityTest {
    private static final Map<String, ClipModel> MODELS = new HashMap<>();

    static synchronized ClipModel load(String fixture) {
        return MODELS.computeIfAbsent(fixture, f -> ClipModel.fromStateDict(Fixtures.weights(f)));
    }

    @Test
    void architectureIsInferredLikeBuildModel() {
        ClipConfig rn = load("clip_rn").config();
        assertFalse(rn.vit());
        assertArrayEquals(new int[] {2, 1, 1, 2}, rn.visionLayers());
        assertEquals(16, rn.visionWidth());
        assertEquals(64, rn.imageResolution());
        assertEquals(8, rn.visionHeads());
        assertEquals(64, rn.embedDim());
        assertEquals(77, rn.contextLength());
        assertEquals(1000, rn.vocabSize());
        assertEquals(128, rn.transformerWidth());
        assertEquals(2, rn.transformerHeads());
        assertEquals(2, rn.transformerLayers());

        ClipConfig vit = load("clip_vit").config();
        assertTrue(vit.vit());
        assertArrayEquals(new int[] {2}, vit.visionLayers());
        assertEquals(16, vit.visionPatchSize());
        assertEquals(64, vit.imageResolution());
        assertEquals(2, vit.visionHeads());
    }

    @ParameterizedTest
    @ValueSource(strings = {"clip_rn", "clip_vit"})
    void imageAndTextEmbeddingsAndTapsMatchPyTorch(String fixture) {
        ClipModel clip = load(fixture);
        StateDict expected = Fixtures.expected(fixture);
        List<String> taps = expected.keys().stream().filter(k -> k.startsWith("tap.")).map(k -> k.substring(4)).toList();
        List<String> imageTaps = taps.stream().filter(t -> t.startsWith("visual.")).toList();
        List<String> textTaps = taps.stream().filter(t -> !t.startsWith("visual.")).toList();
        assertFalse(imageTaps.isEmpty());
        assertFalse(textTaps.isEmpty());

        TapSet imageTapSet = TapSet.capturing(imageTaps);
        TapSet textTapSet = TapSet.capturing(textTaps);
        try (NoGradGuard _ = new NoGradGuard()) {
            assertClose(expected.get("output"), clip.encodeImage(expected.get("input"), imageTapSet), fixture + " image");
            assertClose(expected.get("text_output"), clip.encodeText(expected.get("tokens"), textTapSet), fixture + " text");
        }
        for (String tap : imageTaps) {
            assertClose(expected.get("tap." + tap), imageTapSet.captured(tap), fixture + " tap " + tap);
        }
        for (String tap : textTaps) {
            assertClose(expected.get("tap." + tap), textTapSet.captured(tap), fixture + " tap " + tap);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"clip_rn", "clip_vit"})
    void replaceAndGradientsMatchPyTorch(String fixture) {
        ClipModel clip = load(fixture);
        StateDict expected = Fixtures.expected(fixture);
        String edit = expected.metadata().get("edit");
        Tensor x = expected.get("input").clone().set_requires_grad(true);
        Tensor out = clip.encodeImage(x, TapSet.none().replace(edit, t -> t.mul(new Scalar(0.5))));
        assertClose(expected.get("edited_output"), out, fixture + " image with " + edit + " halved");
        Autograd.backward(out.mul(expected.get("probe")).sum());
        assertCloseL2(expected.get("grad_input"), x.grad(), Fixtures.GRADIENT_TOLERANCE, fixture + " input gradient");
    }

    /** Running the rest of a tower from a captured block output gives the full pass's result (M2IB needs this). */
    @ParameterizedTest
    @ValueSource(strings = {"clip_rn", "clip_vit"})
    void forwardAfterBlockContinuesFromACapturedBlock(String fixture) {
        ClipModel clip = load(fixture);
        StateDict expected = Fixtures.expected(fixture);
        ClipImageTower visual = clip.visual();
        try (NoGradGuard _ = new NoGradGuard()) {
            for (int i = 0; i < visual.blockCount(); i++) {
                TapSet capture = TapSet.capturing(visual.blockName(i));
                Tensor full = clip.encodeImage(expected.get("input"), capture);
                Tensor rest = visual.forwardAfterBlock(i, capture.captured(visual.blockName(i)), TapSet.none());
                assertClose(full, rest, fixture + " after block " + i);
            }
            Tensor tokens = expected.get("tokens");
            TapSet capture = TapSet.capturing("transformer.resblocks.0");
            clip.encodeText(tokens, capture);
            Tensor rest = clip.text().forwardAfterBlock(0, capture.captured("transformer.resblocks.0"), tokens, TapSet.none());
            assertClose(expected.get("text_output"), rest, fixture + " text after block 0");
        }
    }
}
