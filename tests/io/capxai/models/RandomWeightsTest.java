package io.capxai.models;

import io.capxai.taps.TapShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Full-size architectures from random weights: parameter counts of the released models, paper tap shapes. */
class RandomWeightsTest {

    @Test
    void resnet50HasTorchvisionsParameterCount() {
        ResNet model = ResNet.fromStateDict(RandomWeights.resnet50(1000, 1));
        assertEquals("ResNet-50", model.name());
        assertEquals(25_557_032L, model.state().parameterCount());
    }

    @ParameterizedTest
    @CsvSource({"3 4 6 3, false, ResNet-34, 21797672", "3 4 23 3, true, ResNet-101, 44549160"})
    void otherDepthsAreInferredFromTheKeys(String blocks, boolean bottleneck, String name, long torchvisionCount) {
        int[] perStage = java.util.Arrays.stream(blocks.split(" ")).mapToInt(Integer::parseInt).toArray();
        ResNet model = ResNet.fromStateDict(RandomWeights.resnet(perStage, bottleneck, 1000, 4));
        assertEquals(name, model.name());
        assertArrayEquals(perStage, model.blocksPerStage());
        assertEquals(torchvisionCount, model.state().parameterCount(), "torchvision's count");
        assertEquals(name.equals("ResNet-34") ? 1 + 2 * 16 : 1 + 3 * java.util.Arrays.stream(perStage).sum(),
                model.defaultTaps().size());
    }

    @Test
    void clipRn50MatchesTheReleasedArchitectureAndSpecTaps() {
        ClipModel clip = ClipModel.fromStateDict(RandomWeights.clipResNet(new int[] {3, 4, 6, 3}, 64, 224, 1024, 512, 12,
                49408, 2));
        // counted with tests/reference/clip_reference.py: CLIP(1024, 224, (3,4,6,3), 64, None, 77, 49408, 512, 8, 12)
        assertEquals(102_007_137L, clip.parameters().values().stream().mapToLong(t -> t.numel()).sum());
        assertEquals(38_316_896L, clip.visual().state().parameterCount());
        assertEquals(32, clip.config().visionHeads());
        List<TapShape> taps = clip.visual().describeTaps(clip.visual().defaultTaps(), 224, 224);
        assertEquals(List.of("visual.layer1 [1, 256, 56, 56]", "visual.layer2 [1, 512, 28, 28]",
                "visual.layer3 [1, 1024, 14, 14]", "visual.layer4 [1, 2048, 7, 7]"),
                taps.stream().map(TapShape::toString).toList());
        assertEquals(3_840L, taps.stream().mapToLong(TapShape::channels).sum());
    }

    @Test
    void clipVitB32IsInferredFromItsTensors() {
        // a one-layer, 1000-token text tower keeps the test quick; the image tower is full size
        ClipModel clip = ClipModel.fromStateDict(RandomWeights.clipViT(768, 12, 32, 224, 512, 512, 1, 1000, 3));
        // counted with clip_reference.py: CLIP(512, 224, 12, 768, 32, 77, 49408, 512, 8, 12).visual
        assertEquals(87_849_216L, clip.visual().state().parameterCount());
        assertEquals(12, clip.config().visionHeads());
        assertEquals(224, clip.config().imageResolution());
        List<TapShape> taps = clip.visual().describeTaps(List.of("visual.transformer.resblocks.9"), 224, 224);
        assertArrayEquals(new long[] {1, 50, 768}, taps.get(0).shape(), "M2IB's layer: CLS + 49 patches, batch-first");
    }
}
