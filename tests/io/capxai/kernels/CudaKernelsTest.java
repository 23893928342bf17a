package io.capxai.kernels;

import org.bytedeco.pytorch.Device;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * The kernel contract on libcapxai_cuda.so; skipped, with the reason, where there is no
 * usable GPU (it also needs the gpu Maven profile, for libtorch's CUDA tensors).
 */
class CudaKernelsTest extends KernelBackendContract {
    private static KernelBackend cuda;

    @BeforeAll
    static void requireGpu() {
        String reason = null;
        try {
            cuda = Kernels.cuda();
        } catch (BackendUnavailableException e) {
            reason = e.getMessage();
        }
        Assumptions.assumeTrue(cuda != null, "no CUDA device: " + reason);
    }

    @Override
    KernelBackend backend() {
        return cuda;
    }

    @Override
    Device foreignDevice() {
        return new Device("cpu");
    }
}
