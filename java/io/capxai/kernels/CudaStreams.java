package io.capxai.kernels;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.Device;

import java.lang.foreign.MemorySegment;
import java.lang.reflect.Method;

/**
 * torch's current CUDA stream as a raw {@code cudaStream_t}, so kernels queue behind the
 * libtorch work that produced their inputs.
 *
 * <p>The accessor ({@code torch_cuda.getCurrentCUDAStream(byte).stream()}) needs the JavaCPP
 * CUDA preset, present only with the {@code gpu} Maven profile; it is looked up reflectively
 * so that the CPU build compiles and runs. Without it we pass NULL, the legacy default
 * stream, which is also torch's current stream unless the caller changed it.
 */
final class CudaStreams {
    private static final Method CURRENT = lookup();

    private CudaStreams() {}

    static MemorySegment current(Device device) {
        if (CURRENT == null) {
            return MemorySegment.NULL;
        }
        try {
            Object cudaStream = CURRENT.invoke(null, device.index() < 0 ? (byte) 0 : device.index());
            Pointer raw = (Pointer) cudaStream.getClass().getMethod("stream").invoke(cudaStream);
            return raw == null ? MemorySegment.NULL : MemorySegment.ofAddress(raw.address());
        } catch (ReflectiveOperationException | LinkageError e) {
            return MemorySegment.NULL;
        }
    }

    private static Method lookup() {
        try {
            Class<?> torchCuda = Class.forName("org.bytedeco.pytorch.global.torch_cuda", false,
                    CudaStreams.class.getClassLoader());
            return torchCuda.getMethod("getCurrentCUDAStream", byte.class);
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }
}
