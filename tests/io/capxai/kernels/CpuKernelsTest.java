package io.capxai.kernels;

import org.bytedeco.pytorch.Device;

/** The kernel contract on libcapxai_cpu.so. */
class CpuKernelsTest extends KernelBackendContract {
    @Override
    KernelBackend backend() {
        return Kernels.cpu();
    }

    /** A "meta" tensor has a shape but no memory: exactly what must never reach C. */
    @Override
    Device foreignDevice() {
        return new Device("meta");
    }
}
