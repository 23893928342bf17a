package io.capxai.kernels;

import org.bytedeco.pytorch.Device;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;

/**
 * The kernel contract on libcapxai_cuda.so; every test is skipped, with the reason, where
 * there is no usable GPU (it also needs the gpu Maven profile, for libtorch's CUDA tensors).
 */
class CudaKernelsTest extends KernelBackendContract {
    private KernelBackend cuda;

    /** Per test rather than @BeforeAll, so that each skip and its reason show in the report. */
    @BeforeEach
    void requireGpu() {
        String reason = null;
        try {
            cuda = Kernels.cuda();
        } catch (BackendUnavailableException e) {
            reason = e.getMessage();
        }
        Assumptions.assumeTrue(cuda != null, "CUDA kernels unavailable: " + reason);
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
