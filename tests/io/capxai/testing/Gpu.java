package io.capxai.testing;

import io.capxai.tensors.Device;

/**
 * Whether this machine can run the GPU tests that need libtorch on a GPU (tag {@code gpu}):
 * libtorch with CUDA support (the {@code -Pgpu} build) and a CUDA device. Use as
 * {@code @EnabledIf(value = Gpu.CONDITION, disabledReason = Gpu.REASON)}.
 */
public final class Gpu {
    public static final String CONDITION = "io.capxai.testing.Gpu#libtorchOnCuda";
    public static final String REASON = "needs libtorch with CUDA support (./mvnw -Pgpu) and a CUDA device";

    private Gpu() {}

    public static boolean libtorchOnCuda() {
        try {
            Device.cuda(0).resolve();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
