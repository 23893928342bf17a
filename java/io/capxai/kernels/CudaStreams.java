package io.capxai.kernels;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.DeviceGuardImplInterface;
import org.bytedeco.pytorch.Stream;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.DeviceType;

import java.lang.foreign.MemorySegment;
import java.lang.reflect.Method;

/**
 * libtorch's CUDA context for a kernel call: the calling thread's current device is made the
 * tensors' device, and the kernels get libtorch's current stream of that device as a raw
 * {@code cudaStream_t}, so they queue behind the libtorch work that produced their inputs and
 * before the work that reads their outputs, with no device-wide sync.
 *
 * <p>Both go through libtorch's device-agnostic interface ({@code c10::impl::DeviceGuardImplInterface}),
 * present in every build. A {@code c10::Stream} id is decoded as c10 encodes CUDA streams
 * (c10/cuda/CUDAStream.cpp, "StreamId assignment"): 0 is the default stream, whose handle is NULL
 * (the legacy default stream; libtorch is not built with per-thread default streams); an even
 * non-zero id is an external stream and is the {@code cudaStream_t} itself; an odd id is one of
 * libtorch's pooled streams, whose handle only {@code c10::cuda::CUDAStream::stream()} knows. That
 * accessor is in the JavaCPP CUDA preset (the {@code torch_cuda} class, whose signatures need the
 * {@code org.bytedeco:cuda} classes), looked up reflectively so that the CPU build compiles and runs.
 * capxai itself never leaves the default stream; a pooled current stream without the accessor fails
 * with a message instead of silently queueing on another stream.
 */
final class CudaStreams {
    private static final Method POOLED = lookup();

    private CudaStreams() {}

    /** Makes {@code device} current for this thread (as a CUDAGuard would) and returns its current stream. */
    static MemorySegment enter(Device device) {
        DeviceGuardImplInterface cuda = torch.getDeviceGuardImpl(DeviceType.CUDA);
        cuda.setDevice(device); // a no-op when it is current already; the kernels use the current device
        Stream stream = cuda.getStream(device);
        return handle(stream.id(), device.index(), () -> pooledHandle(device.index()));
    }

    /** The {@code cudaStream_t} of a c10 stream id on device {@code index} (see the class comment). */
    static MemorySegment handle(long streamId, int index, java.util.function.LongSupplier pooled) {
        if (streamId == 0) {
            return MemorySegment.NULL;
        }
        if ((streamId & 1) == 0) {
            return MemorySegment.ofAddress(streamId);
        }
        long address = pooled.getAsLong();
        if (address < 0) {
            throw new IllegalStateException("libtorch's current stream on cuda:" + index + " is one of its pooled streams"
                    + " (id " + streamId + "), whose cudaStream_t needs the JavaCPP CUDA preset (org.bytedeco:cuda) on the"
                    + " class path; capxai never changes the current stream, so set it back to the default stream around"
                    + " capxai calls, or add that preset");
        }
        return MemorySegment.ofAddress(address);
    }

    /** The raw handle of the current pooled stream through torch_cuda, or -1 when that class is unusable. */
    private static long pooledHandle(int index) {
        if (POOLED == null) {
            return -1;
        }
        try {
            Object cudaStream = POOLED.invoke(null, (byte) index);
            Pointer raw = (Pointer) cudaStream.getClass().getMethod("stream").invoke(cudaStream);
            return raw == null ? 0 : raw.address();
        } catch (ReflectiveOperationException | LinkageError e) {
            return -1;
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
