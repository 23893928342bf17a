package io.capxai.audit;

import io.capxai.kernels.Backends;
import io.capxai.kernels.Kernels;
import io.capxai.kernels.RecordingCudaBackend;
import io.capxai.matching.FusedMatcher;
import io.capxai.matching.MatchResult;
import io.capxai.progress.ProgressListener;
import io.capxai.tensors.Device;
import io.capxai.tensors.DeviceUnavailableException;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * CPU activations never reach a CUDA backend: a fake CUDA backend that records its calls stays
 * silent through a whole CPU audit, and a matcher handed it (as {@code Kernels.best()} would on a GPU
 * server) still uses the CPU kernels for CPU activations, with identical results.
 */
class DeviceRoutingTest {
    private static TinyAudit tiny;

    @BeforeAll
    static void setUp() {
        tiny = TinyAudit.of(3, 2, 2, 3);
    }

    private static Audit.Builder audit() {
        return tiny.builder().batchSize(4).device(Device.CPU);
    }

    @Test
    void aCpuAuditNeverCallsTheCudaKernels() {
        RecordingCudaBackend fake = new RecordingCudaBackend(0);
        AuditResult routed = audit().kernels(Backends.of(Kernels::cpu, i -> fake)).build().run();
        assertEquals(List.of(), fake.calls());
        AuditResult plain = audit().build().run();
        assertArrayEquals(plain.match().scores().values(), routed.match().scores().values(), 0f);
        for (int i = 0; i < plain.before().length; i++) {
            assertArrayEquals(plain.before()[i], routed.before()[i], 0f);
            assertArrayEquals(plain.after()[plain.after().length - 1][i], routed.after()[routed.after().length - 1][i], 0f);
        }
    }

    @Test
    void aMatcherHandedCudaKernelsUsesTheCpuKernelsForCpuActivations() {
        RecordingCudaBackend fake = new RecordingCudaBackend(0);
        torch.manual_seed(5);
        var images = torch.randn(5, 3, 32, 32);
        var source = ModelActivations.of(tiny.standalone(), tiny.standalone().defaultTaps(), tiny.clip().visual(),
                tiny.clip().visual().defaultTaps(),
                images, 2, ProgressListener.NONE);
        MatchResult handedCuda = new FusedMatcher(fake).match(source);
        MatchResult cpu = new FusedMatcher(Kernels.cpu()).match(source);
        assertEquals(List.of(), fake.calls());
        assertArrayEquals(cpu.scores().values(), handedCuda.scores().values(), 0f);
    }

    @Test
    void anAuditOnAnUnavailableDeviceFailsAtBuild() {
        Assumptions.assumeFalse(Device.CudaAvailability.LIBTORCH.libtorchHasCuda(), "this libtorch has CUDA support (-Pgpu)");
        DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class,
                () -> audit().device(Device.cuda(0)).build());
        assertEquals("cuda:0 requested, but this build's libtorch has no CUDA support: build with -Pgpu", e.getMessage());
    }
}
