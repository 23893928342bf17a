package io.capxai.matching;

import io.capxai.kernels.Kernels;
import io.capxai.matching.ChannelStats;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FusedMatcherTest {
    /** Taps of both size orders, equal sizes, 1x1 maps, C = 1 and a large mean with small spread. */
    static Map<String, Tensor>[] randomTaps(int images) {
        torch.manual_seed(11);
        Map<String, Tensor> standalone = new LinkedHashMap<>();
        standalone.put("conv1", torch.randn(images, 3, 14, 14).relu());
        standalone.put("layer1.0.conv1", torch.randn(images, 5, 7, 7).mul(new Scalar(0.5)).add(new Scalar(1e4)));
        standalone.put("layer2.0.conv2", torch.randn(images, 1, 4, 4));
        standalone.put("layer4.1.conv3", torch.randn(images, 6, 1, 1));
        Map<String, Tensor> clip = new LinkedHashMap<>();
        clip.put("visual.layer1", torch.randn(images, 4, 7, 7).exp());
        clip.put("visual.layer2", torch.randn(images, 2, 4, 4).add(new Scalar(-300)));
        clip.put("visual.layer3", torch.randn(images, 3, 2, 2));
        @SuppressWarnings("unchecked")
        Map<String, Tensor>[] out = new Map[] {standalone, clip};
        return out;
    }

    @Test
    void onePassEqualsTheTwoPassReference() {
        Map<String, Tensor>[] taps = randomTaps(7);
        ActivationSource source = Batches.of(taps[0], taps[1], 3);
        MatchResult fused = new FusedMatcher(Kernels.cpu()).match(source);
        MatchResult reference = new ReferenceMatcher().match(source);

        float[] f = fused.scores().values();
        float[] r = reference.scores().values();
        assertEquals(r.length, f.length);
        double worst = 0;
        double largest = 0;
        for (int i = 0; i < r.length; i++) {
            worst = Math.max(worst, Math.abs(f[i] - r[i]));
            largest = Math.max(largest, Math.abs(r[i]));
        }
        assertTrue(largest > 0.1, "scores should not all vanish: " + largest);
        assertTrue(worst <= 1e-4 * largest, "max abs difference " + worst + " vs largest score " + largest);
        assertStatsClose(reference.standalone(), fused.standalone());
        assertStatsClose(reference.clip(), fused.clip());
    }

    @Test
    void batchSizeDoesNotChangeTheResult() {
        Map<String, Tensor>[] taps = randomTaps(7);
        float[] one = new FusedMatcher(Kernels.cpu()).match(Batches.of(taps[0], taps[1], 7)).scores().values();
        float[] many = new FusedMatcher(Kernels.cpu()).match(Batches.of(taps[0], taps[1], 2)).scores().values();
        for (int i = 0; i < one.length; i++) {
            assertEquals(one[i], many[i], 1e-5, "score " + i);
        }
    }

    @Test
    void nanActivationsAreRejectedWithTheTapNamed() {
        Map<String, Tensor>[] taps = randomTaps(3);
        taps[1].put("visual.layer3", torch.full(new long[] {3, 3, 2, 2}, new Scalar(Double.NaN)));
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> new FusedMatcher(Kernels.cpu()).match(Batches.of(taps[0], taps[1], 3)));
        assertTrue(e.getMessage().toLowerCase().contains("nan") || e.getMessage().contains("finite"), e.getMessage());
    }

    private static void assertStatsClose(ChannelStats expected, ChannelStats actual) {
        for (int i = 0; i < expected.mean().length; i++) {
            assertEquals(expected.mean()[i], actual.mean()[i], 1e-9 * Math.max(1, Math.abs(expected.mean()[i])));
            assertEquals(expected.std()[i], actual.std()[i], 1e-6 * Math.max(1e-3, expected.std()[i]));
        }
    }
}
