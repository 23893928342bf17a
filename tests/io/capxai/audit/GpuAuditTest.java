package io.capxai.audit;

import io.capxai.data.ColoredMnist;
import io.capxai.data.Mnist;
import io.capxai.kernels.BackendUnavailableException;
import io.capxai.kernels.Kernels;
import io.capxai.models.ClipModel;
import io.capxai.models.RandomWeights;
import io.capxai.models.ResNet;
import io.capxai.probing.CaptionSet;
import io.capxai.tensors.Device;
import io.capxai.testing.Gpu;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole audit on cuda:0, and split over two GPUs when there are two, equals the CPU audit: scores within 1e-4, the same surgery plan, the same
 * similarities within 1e-4 and the same verdicts. Small random models and a few colored-MNIST digits,
 * so it takes seconds. Needs a GPU server: {@code ./mvnw -Pgpu -B verify -Dgroups=gpu} (README).
 */
@Tag("gpu")
@EnabledIf(value = "gpuPresent", disabledReason = "needs libtorch with CUDA (./mvnw -Pgpu), a CUDA device and libcapxai_cuda.so")
class GpuAuditTest {
    static boolean gpuPresent() {
        try {
            Kernels.cuda(0);
        } catch (BackendUnavailableException e) {
            return false;
        }
        return Gpu.libtorchOnCuda();
    }

    /** A fresh pair of models each time: build() moves the weights to the audit's device (and copies them to the others). */
    private static AuditResult audit(List<Device> devices, ColoredMnist.Splits splits) {
        return Audit.builder()
                .standalone(ResNet.fromStateDict(RandomWeights.resnet(new int[] {1, 1, 1, 1}, false, 2, 1)))
                .clip(ClipModel.fromStateDict(RandomWeights.clipResNet(new int[] {1, 1, 1, 1}, 16, 32, 32, 64, 1, 49408, 2)),
                        "random tiny CLIP-architecture model")
                .statistics(splits.train()).evaluation(splits.test()).labels(TinyAudit.labels(splits.test()))
                .captions(CaptionSet.coloredMnist()).batchSize(8).devices(devices)
                .build().run();
    }

    @Test
    void theAuditOnCudaEqualsTheAuditOnTheCpu() {
        ColoredMnist.Splits splits = ColoredMnist.build(Mnist.load(), ColoredMnist.Config.paper().withSizes(6, 4, 2));
        AuditResult cpu = audit(List.of(Device.CPU), splits);
        AuditResult cuda = audit(List.of(Device.cuda(0)), splits);
        assertSameWithin1e4(cpu, cuda);
    }

    /** --devices cuda:0,cuda:1: the images split over two GPUs, the partials merged; the same audit as on the CPU. */
    @Test
    void theAuditOnTwoGpusEqualsTheAuditOnTheCpu() {
        int gpus = Device.CudaAvailability.LIBTORCH.deviceCount();
        Assumptions.assumeTrue(gpus >= 2, "needs two CUDA devices; this machine has " + gpus);
        ColoredMnist.Splits splits = ColoredMnist.build(Mnist.load(), ColoredMnist.Config.paper().withSizes(7, 5, 2));
        assertSameWithin1e4(audit(List.of(Device.CPU), splits), audit(List.of(Device.cuda(0), Device.cuda(1)), splits));
    }

    private static void assertSameWithin1e4(AuditResult cpu, AuditResult cuda) {
        assertArrayEquals(cpu.match().scores().values(), cuda.match().scores().values(), 1e-4f, "scores");
        assertArrayEquals(cpu.plan().sources(), cuda.plan().sources(), "surgery plan");
        for (int i = 0; i < cpu.before().length; i++) {
            assertArrayEquals(cpu.before()[i], cuda.before()[i], 1e-4f, "before, image " + i);
            for (int v = 0; v < cpu.after().length; v++) {
                assertArrayEquals(cpu.after()[v][i], cuda.after()[v][i], 1e-4f, "after, variant " + v + ", image " + i);
            }
        }
        assertEquals(cpu.verdicts().size(), cuda.verdicts().size());
        for (int v = 0; v < cpu.verdicts().size(); v++) {
            assertEquals(cpu.verdicts().get(v).answer(), cuda.verdicts().get(v).answer(), "verdict " + v);
        }
        assertTrue(cpu.headline().answer().equals(cuda.headline().answer()));
    }
}
