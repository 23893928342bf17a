package io.capxai.attribution;

import io.capxai.models.ClipModel;
import io.capxai.models.RandomWeights;
import io.capxai.models.text.ClipTokenizer;
import io.capxai.tensors.Device;
import io.capxai.testing.Gpu;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every attribution method gives on cuda:0 the map it gives on the CPU (within 0.5 % of the map's
 * largest value), for both CLIP families, small and random. M2IB's noise and RISE's masks are drawn
 * on the CPU, so both runs see the same draws. Needs a GPU server: {@code ./mvnw -Pgpu -B verify -Dgroups=gpu}.
 */
@Tag("gpu")
@EnabledIf(value = Gpu.CONDITION, disabledReason = Gpu.REASON)
class GpuAttributionTest {
    private static final String CAPTION = "a photo of the digit 5.";

    private static ClipModel model(String family) {
        return ClipModel.fromStateDict("vit".equals(family)
                ? RandomWeights.clipViT(64, 4, 16, 64, 64, 64, 4, ClipTokenizer.VOCAB_SIZE, 3)
                : RandomWeights.clipResNet(new int[] {1, 1, 1, 1}, 16, 64, 32, 64, 1, ClipTokenizer.VOCAB_SIZE, 3));
    }

    @ParameterizedTest
    @ValueSource(strings = {"vit", "rn"})
    void everyMethodGivesTheCpuMapOnCuda(String family) {
        ClipTokenizer tokenizer = ClipTokenizer.load();
        ClipModel onCpu = model(family);
        ClipModel onCuda = model(family);
        org.bytedeco.pytorch.Device cuda = Device.cuda(0).resolve().torch();
        onCuda.to(cuda);
        ClipScorer cpuScorer = new ClipScorer(onCpu, tokenizer, "random " + family);
        ClipScorer cudaScorer = new ClipScorer(onCuda, tokenizer, "random " + family);
        torch.manual_seed(11);
        int r = cpuScorer.resolution();
        Tensor image = torch.randn(1, 3, r, r);
        for (String method : Explainers.METHODS) {
            AttributionMap cpu = Explainers.create(method, cpuScorer, M2ibOptions.DEFAULTS.withSeed(5), 64).explain(image, CAPTION);
            AttributionMap gpu = Explainers.create(method, cudaScorer, M2ibOptions.DEFAULTS.withSeed(5), 64)
                    .explain(image.to(cuda, torch.ScalarType.Float), CAPTION);
            assertClose(cpu.image(), gpu.image(), family + " " + method + " image map");
            assertEquals(cpu.text() == null, gpu.text() == null, method + " text map");
            if (cpu.text() != null) {
                assertClose(cpu.text(), gpu.text(), family + " " + method + " text map");
            }
        }
    }

    private static void assertClose(float[] cpu, float[] gpu, String what) {
        assertEquals(cpu.length, gpu.length, what);
        double scale = 0;
        for (float v : cpu) {
            scale = Math.max(scale, Math.abs(v));
        }
        double tolerance = 5e-3 * scale + 1e-7;
        for (int i = 0; i < cpu.length; i++) {
            assertTrue(Math.abs(cpu[i] - gpu[i]) <= tolerance,
                    what + " [" + i + "]: cpu " + cpu[i] + " cuda " + gpu[i] + " (tolerance " + tolerance + ")");
        }
    }
}
