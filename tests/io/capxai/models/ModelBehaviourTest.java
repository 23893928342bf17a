package io.capxai.models;

import io.capxai.taps.TapSet;
import io.capxai.taps.TapShape;
import io.capxai.tensors.Tensors;
import io.capxai.weights.StateDict;
import io.capxai.weights.WeightsException;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tap lists, scoping of edits, modes and clear errors on bad weights and inputs. */
class ModelBehaviourTest {

    @Test
    void resnet50DefaultTapsAt224AreThePapers49Maps() {
        ResNet model = ResNetParityTest.load("resnet50");
        List<String> defaults = model.defaultTaps();
        assertEquals(49, defaults.size());
        assertEquals(List.of("conv1", "layer1.0.conv1", "layer1.0.conv2", "layer1.0.conv3", "layer1.1.conv1"),
                defaults.subList(0, 5));
        assertFalse(defaults.stream().anyMatch(n -> n.contains("downsample")));

        List<TapShape> shapes = model.describeTaps(defaults, 224, 224);
        assertEquals(defaults, shapes.stream().map(TapShape::name).toList(), "forward order = named_modules order");
        Map<Long, Long> channelsBySize = new TreeMap<>();
        for (TapShape s : shapes) {
            channelsBySize.merge(s.shape()[2], s.channels(), Long::sum);
        }
        assertEquals(Map.of(112L, 64L, 56L, 1280L, 28L, 3200L, 14L, 9472L, 7L, 8704L), channelsBySize);
        assertEquals(22_720L, channelsBySize.values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void clipResNetDefaultTapsAreTheFourStages() {
        ClipImageTower visual = ClipParityTest.load("clip_rn").visual();
        List<TapShape> shapes = visual.describeTaps(visual.defaultTaps(), 64, 64);
        assertEquals(List.of("visual.layer1 [1, 64, 16, 16]", "visual.layer2 [1, 128, 8, 8]",
                "visual.layer3 [1, 256, 4, 4]", "visual.layer4 [1, 512, 2, 2]"),
                shapes.stream().map(TapShape::toString).toList());
    }

    @Test
    void anEditNeverLeaksIntoTheNextCall() {
        ClipModel clip = ClipParityTest.load("clip_rn");
        Tensor x = Fixtures.expected("clip_rn").get("input");
        try (NoGradGuard _ = new NoGradGuard()) {
            Tensor before = clip.encodeImage(x);
            TapSet edit = TapSet.none().replace("visual.layer3", t -> t.mul(new Scalar(0.0)));
            Tensor edited = clip.encodeImage(x, edit);
            Tensor after = clip.encodeImage(x);
            assertTrue(edited.sub(before).abs().max().item_double() > 1e-3, "the edit changes the embedding");
            assertEquals(0.0, after.sub(before).abs().max().item_double(), 0.0, "the next call is clean");
            assertThrows(IllegalStateException.class, () -> clip.encodeImage(x, edit), "a TapSet is single-use");
        }
    }

    /**
     * Models free their intermediates' handles per block (PointerScope). A tensor a replace function
     * hands in from outside, captures and outputs must all survive the pass, with or without an
     * enclosing scope (a freed handle would crash the JVM here, not fail politely).
     */
    @Test
    void tensorsFromOutsideAndCapturesSurviveTheModelsScopes() {
        ClipModel clip = ClipParityTest.load("clip_rn");
        Tensor x = Fixtures.expected("clip_rn").get("input");
        Tensor outside = torch.ones(2, 512, 2, 2);
        for (boolean enclosingScope : new boolean[] {false, true}) {
            Tensor out;
            Tensor captured;
            try (org.bytedeco.javacpp.PointerScope scope = enclosingScope ? new org.bytedeco.javacpp.PointerScope() : null;
                 NoGradGuard _ = new NoGradGuard()) {
                TapSet taps = TapSet.none().replace("visual.layer4", t -> outside).capture("visual.layer2");
                out = clip.encodeImage(x, taps);
                captured = taps.captured("visual.layer2");
                out.retainReference();
            }
            System.gc();
            assertEquals(2 * 512 * 4, outside.sum().item_double(), 0.0, "the caller's tensor is intact");
            assertArrayEquals(new long[] {2, 128, 8, 8}, Tensors.shape(captured));
            assertTrue(Double.isFinite(captured.sum().item_double()));
            assertArrayEquals(new long[] {2, 64}, Tensors.shape(out));
        }
    }

    @Test
    void tapsBeforeTheStartingBlockAreNotReached() {
        ClipModel clip = ClipParityTest.load("clip_vit");
        Tensor x = Fixtures.expected("clip_vit").get("input");
        TapSet capture = TapSet.capturing("visual.transformer.resblocks.0");
        clip.encodeImage(x, capture);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> clip.visual().forwardAfterBlock(0,
                capture.captured("visual.transformer.resblocks.0"), TapSet.capturing("visual.ln_pre")));
        assertTrue(e.getMessage().contains("visual.ln_pre"), e.getMessage());
    }

    @Test
    void trainModeUsesBatchStatisticsAndUpdatesRunningStats() {
        ResNet model = ResNet.fromStateDict(Fixtures.weights("resnet18"));
        Tensor x = Fixtures.expected("resnet18").get("input");
        Tensor runningMean = model.state().buffers().get("bn1.running_mean");
        Tensor before = runningMean.clone();
        Tensor evalOut = model.forward(x);
        assertEquals(0.0, runningMean.sub(before).abs().max().item_double(), 0.0, "eval mode leaves the stats alone");
        model.train(true);
        Tensor trainOut = model.forward(x);
        assertTrue(runningMean.sub(before).abs().max().item_double() > 0, "train mode updates running_mean");
        assertTrue(trainOut.sub(evalOut).abs().max().item_double() > 1e-3, "train mode normalises with batch stats");
        model.state().requiresGrad(true);
        assertTrue(model.state().parameters().values().stream().allMatch(Tensor::requires_grad));
        assertFalse(model.state().buffers().values().stream().anyMatch(Tensor::requires_grad));
        // torchvision's ResNet-18 has 11,689,512 parameters with 1000 classes; fc here has 10
        assertEquals(11_689_512L - 513 * 1000 + 513 * 10, model.state().parameterCount());
    }

    @Test
    void badWeightsGiveErrorsNamingTheTensor() {
        Map<String, Tensor> good = Fixtures.weights("resnet18").asMap();

        Map<String, Tensor> missing = new LinkedHashMap<>(good);
        missing.remove("layer3.1.bn2.running_var");
        WeightsException e1 = assertThrows(WeightsException.class, () -> ResNet.fromStateDict(new StateDict(missing)));
        assertTrue(e1.getMessage().contains("layer3.1.bn2.running_var"), e1.getMessage());

        Map<String, Tensor> extra = new LinkedHashMap<>(good);
        extra.put("head.weight", torch.zeros(2, 2));
        WeightsException e2 = assertThrows(WeightsException.class, () -> ResNet.fromStateDict(new StateDict(extra)));
        assertTrue(e2.getMessage().contains("head.weight"), e2.getMessage());

        Map<String, Tensor> wrongShape = new LinkedHashMap<>(good);
        wrongShape.put("layer2.0.conv2.weight", torch.zeros(128, 64, 3, 3));
        WeightsException e3 = assertThrows(WeightsException.class, () -> ResNet.fromStateDict(new StateDict(wrongShape)));
        assertTrue(e3.getMessage().contains("layer2.0.conv2.weight"), e3.getMessage());

        Map<String, Tensor> nan = new LinkedHashMap<>(good);
        nan.put("fc.bias", torch.full(new long[] {10}, new Scalar(Double.NaN)));
        WeightsException e4 = assertThrows(WeightsException.class, () -> ResNet.fromStateDict(new StateDict(nan)));
        assertTrue(e4.getMessage().contains("fc.bias") && e4.getMessage().contains("NaN"), e4.getMessage());

        WeightsException e5 = assertThrows(WeightsException.class, () -> ClipModel.fromStateDict(new StateDict(good)));
        assertTrue(e5.getMessage().contains("not a CLIP state dict"), e5.getMessage());
    }

    @Test
    void badInputsGiveClearErrors() {
        ResNet resnet = ResNetParityTest.load("resnet18");
        assertThrows(IllegalArgumentException.class, () -> resnet.forward(torch.zeros(2, 1, 64, 64)));
        assertThrows(IllegalArgumentException.class, () -> resnet.forward(torch.zeros(3, 64, 64)));
        Tensor nan = torch.zeros(1, 3, 64, 64);
        nan.fill_(new Scalar(Double.NaN));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> resnet.forward(nan));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());

        ClipModel clip = ClipParityTest.load("clip_rn");
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> clip.encodeImage(torch.zeros(1, 3, 96, 96)));
        assertTrue(e2.getMessage().contains("64x64"), e2.getMessage());
        Tensor tokens = Tensors.fromLongs(new long[77], 1, 77);
        tokens.fill_(new Scalar(5000));
        IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class, () -> clip.encodeText(tokens));
        assertTrue(e3.getMessage().contains("1000"), e3.getMessage());
        assertThrows(IllegalArgumentException.class, () -> clip.encodeText(Tensors.fromLongs(new long[10], 1, 10)));
    }

    @Test
    void textTowerWithoutTapsSkipsPaddingExactly() {
        // Without taps the tower drops the positions after the last end-of-text token; with a tap it
        // runs all 77. The causal mask makes both give the same embeddings.
        ClipModel clip = ClipModel.fromStateDict(RandomWeights.clipResNet(new int[] {1, 1, 1, 1}, 8, 64, 32, 64, 2, 1000, 3));
        long[] ids = new long[3 * 77];
        long[][] sentences = {{999, 5, 6, 7, 998}, {999, 40, 998}, {999, 1, 2, 3, 4, 5, 6, 7, 8, 998}};
        for (int r = 0; r < 3; r++) {
            System.arraycopy(sentences[r], 0, ids, r * 77, sentences[r].length);
        }
        Tensor tokens = Tensors.fromLongs(ids, 3, 77);
        try (NoGradGuard noGrad = new NoGradGuard()) {
            float[] trimmed = Tensors.toFloats(clip.encodeText(tokens));
            TapSet taps = TapSet.capturing("token_embedding");
            float[] full = Tensors.toFloats(clip.encodeText(tokens, taps));
            assertEquals(77, taps.captured("token_embedding").size(1));
            assertArrayEquals(full, trimmed, 1e-5f);
        }
    }

    @Test
    void movingWeightsInPlaceKeepsTheLayersWorking() {
        ResNet model = ResNet.fromStateDict(Fixtures.weights("resnet18"));
        Tensor x = Fixtures.expected("resnet18").get("input");
        Tensor out1 = model.forward(x);
        model.state().to(new org.bytedeco.pytorch.Device("cpu"));
        assertEquals("cpu", model.state().device());
        assertEquals(0.0, model.forward(x).sub(out1).abs().max().item_double(), 0.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.forward(x.to(new org.bytedeco.pytorch.Device("meta"), torch.ScalarType.Float)));
        assertTrue(e.getMessage().contains("meta"), e.getMessage());
    }

    @Test
    void fp16WeightsAreWidenedToFloat32() {
        assertEquals(torch.ScalarType.Half, Fixtures.weights("clip_vit").get("visual.proj").scalar_type().intern());
        ClipModel clip = ClipParityTest.load("clip_vit");
        assertTrue(clip.parameters().values().stream().allMatch(t -> t.scalar_type().intern() == torch.ScalarType.Float));
        assertArrayEquals(new long[] {}, Tensors.shape(clip.logitScale()));
    }
}
