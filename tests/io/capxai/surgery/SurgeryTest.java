package io.capxai.surgery;

import io.capxai.kernels.Kernels;
import io.capxai.kernels.ResizeMode;
import io.capxai.matching.TapBlock;
import io.capxai.matching.ChannelStats;
import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SurgeryTest {
    private static final List<TapBlock> STANDALONE = List.of(new TapBlock("conv1", 0, 2, 6, 6), new TapBlock("layer4.0.conv3", 2, 3, 2, 2));
    private static final List<TapBlock> CLIP = List.of(new TapBlock("visual.layer1", 0, 3, 4, 4), new TapBlock("visual.layer2", 3, 2, 2, 2));

    private static ChannelStats stats(List<TapBlock> taps, int channels, double base) {
        double[] mean = new double[channels];
        double[] std = new double[channels];
        for (int i = 0; i < channels; i++) {
            mean[i] = base + i;
            std[i] = 0.5 + 0.25 * i;
        }
        return new ChannelStats(taps, mean, std, 10);
    }

    @Test
    void replacesChosenChannelsByResizedStandardisedStandaloneMaps() {
        torch.manual_seed(3);
        ChannelStats s = stats(STANDALONE, 5, 1.0);
        ChannelStats c = stats(CLIP, 5, -2.0);
        int[] plan = {4, -1, 0, 1, 2}; // layer1: ch0 <- layer4 ch2 (upsample 2->4), ch1 kept, ch2 <- conv1 ch0 (down 6->4)
        Surgery surgery = Surgery.ofSingleSources(Kernels.cpu(), plan, s, c, ResizeMode.BILINEAR);
        Map<String, Tensor> taps = new LinkedHashMap<>();
        taps.put("conv1", torch.randn(2, 2, 6, 6));
        taps.put("layer4.0.conv3", torch.randn(2, 3, 2, 2));
        assertEquals(List.of("layer4.0.conv3", "conv1"), surgery.standaloneTapsFor(List.of("visual.layer1")));

        Tensor y = torch.randn(2, 3, 4, 4);
        Tensor before = y.clone();
        Tensor edited = surgery.replacements(taps, List.of("visual.layer1")).get("visual.layer1").apply(y);

        assertArrayEquals(Tensors.toFloats(before), Tensors.toFloats(y), "the input activation is not modified");
        assertMap(expected(taps.get("layer4.0.conv3"), 2, s.mean()[4], s.std()[4], c.mean()[0], c.std()[0]), edited, 0);
        assertArrayEquals(Tensors.toFloats(y.select(1, 1)), Tensors.toFloats(edited.select(1, 1)), "unplanned channel kept");
        assertMap(expected(taps.get("conv1"), 0, s.mean()[0], s.std()[0], c.mean()[2], c.std()[2]), edited, 2);
    }

    @Test
    void rejectsPlansThatDoNotFitTheTaps() {
        ChannelStats s = stats(STANDALONE, 5, 0);
        ChannelStats c = stats(CLIP, 5, 0);
        assertThrows(IllegalArgumentException.class, () -> Surgery.ofSingleSources(Kernels.cpu(), new int[] {0, 1}, s, c, ResizeMode.BILINEAR));
        assertThrows(IllegalArgumentException.class, () -> Surgery.ofSingleSources(Kernels.cpu(), new int[] {0, 1, 2, 3, 5}, s, c, ResizeMode.BILINEAR));
    }

    @Test
    void topKSourcesAverageTheirStandardisedMaps() {
        torch.manual_seed(5);
        ChannelStats s = stats(STANDALONE, 5, 1.0);
        ChannelStats c = stats(CLIP, 5, -2.0);
        int[][] sources = {{2, 3}, {}, {}, {}, {}};
        Surgery surgery = new Surgery(Kernels.cpu(), sources, s, c, ResizeMode.BILINEAR);
        Map<String, Tensor> taps = new LinkedHashMap<>();
        taps.put("conv1", torch.randn(2, 2, 6, 6));
        taps.put("layer4.0.conv3", torch.randn(2, 3, 2, 2));
        Tensor y = torch.randn(2, 3, 4, 4);
        Tensor edited = surgery.replacements(taps, List.of("visual.layer1")).get("visual.layer1").apply(y);
        Tensor first = expected(taps.get("layer4.0.conv3"), 0, s.mean()[2], s.std()[2], c.mean()[0], c.std()[0]);
        Tensor second = expected(taps.get("layer4.0.conv3"), 1, s.mean()[3], s.std()[3], c.mean()[0], c.std()[0]);
        assertMap(first.add(second).div(new org.bytedeco.pytorch.Scalar(2.0)), edited, 0);
        assertArrayEquals(Tensors.toFloats(y.narrow(1, 1, 2)), Tensors.toFloats(edited.narrow(1, 1, 2)));
        assertThrows(IllegalArgumentException.class,
                () -> new Surgery(Kernels.cpu(), new int[][] {{2, 3}, {1}, {}, {}, {}}, s, c, ResizeMode.BILINEAR));
    }

    /** libtorch's own standardise + interpolate + affine: what eq. 4 says. */
    private static Tensor expected(Tensor src, int k, double mu, double sigma, double muJ, double sigmaJ) {
        Tensor z = src.narrow(1, k, 1).sub(new org.bytedeco.pytorch.Scalar(mu)).div(new org.bytedeco.pytorch.Scalar(sigma + ChannelStats.EPS));
        Tensor resized = torch.upsample_bilinear2d(z, new long[] {4, 4}, false);
        return resized.mul(new org.bytedeco.pytorch.Scalar(sigmaJ)).add(new org.bytedeco.pytorch.Scalar(muJ)).select(1, 0);
    }

    private static void assertMap(Tensor expected, Tensor edited, int channel) {
        float[] e = Tensors.toFloats(expected);
        float[] a = Tensors.toFloats(edited.select(1, channel));
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], 1e-4, "channel " + channel + " value " + i);
        }
    }
}
