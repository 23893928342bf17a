package io.capxai.kernels;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch.DeviceType;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Entry point: the kernel backends available on this machine.
 *
 * <pre>{@code
 * KernelBackend k = Kernels.forDevice(activations.device()); // the backend of the tensors' device
 * ChannelMoments stats = k.newMoments(256);
 * stats.update(activations);                 // [n, 256, h, w] float32 on k.device()
 * }</pre>
 *
 * The engine (matcher, surgery) picks its backend from the device of the activations through
 * {@link Backends}, so a CPU tensor never reaches a CUDA kernel. Each library is loaded once; a
 * backend that cannot load keeps failing with the same reason.
 */
public final class Kernels {
    private static final Memo CPU = new Memo(Kernels::loadCpu);
    private static final Memo CUDA = new Memo(Kernels::loadCuda);
    private static final Map<Integer, KernelBackend> CUDA_DEVICES = new ConcurrentHashMap<>();

    private Kernels() {}

    /** The multithreaded C kernels on host memory (libcapxai_cpu.so). */
    public static KernelBackend cpu() {
        return CPU.get();
    }

    /**
     * The CUDA kernels (libcapxai_cuda.so) on device cuda:0.
     *
     * @throws BackendUnavailableException saying why: library not built, NVIDIA driver
     *         missing, or no CUDA device
     */
    public static KernelBackend cuda() {
        return CUDA.get();
    }

    /**
     * The CUDA kernels on device cuda:{@code index}: each call first makes that device current for
     * the calling thread, and queues on libtorch's current stream of it.
     *
     * @throws BackendUnavailableException as {@link #cuda()}, or when there is no such device
     */
    public static KernelBackend cuda(int index) {
        KernelBackend first = cuda();
        if (index == 0) {
            return first;
        }
        int count = ((NativeBackend) first).deviceCount();
        if (index < 0 || index >= count) {
            throw new BackendUnavailableException("cuda:" + index + " requested, " + count + " CUDA device"
                    + (count == 1 ? "" : "s") + " present");
        }
        return CUDA_DEVICES.computeIfAbsent(index, i -> ((NativeBackend) first).on(new Device(DeviceType.CUDA, (byte) (int) i)));
    }

    /** The backend whose kernels take tensors on {@code device} (CPU or CUDA). */
    public static KernelBackend forDevice(Device device) {
        return Backends.SYSTEM.forDevice(device);
    }

    /**
     * CUDA when its library loads and sees a device, otherwise the CPU: for kernel calls on tensors
     * made for it ({@link KernelBackend#zeros}). The audit does not need it: it follows its tensors.
     */
    public static KernelBackend best() {
        try {
            return cuda();
        } catch (BackendUnavailableException e) {
            return cpu();
        }
    }

    private static KernelBackend loadCpu() {
        NativeFunctions lib = NativeFunctions.cpu();
        checkAbi(lib);
        return new NativeBackend("cpu", new Device(DeviceType.CPU), lib);
    }

    private static KernelBackend loadCuda() {
        NativeFunctions lib = NativeFunctions.cuda();
        checkAbi(lib);
        if (lib.deviceCount() <= 0) {
            throw new BackendUnavailableException(driverPresent()
                    ? "no CUDA device: the NVIDIA driver is installed but capxai_device_count() = 0"
                    : "no CUDA device: the NVIDIA driver (libcuda.so.1) is not installed, capxai_device_count() = 0");
        }
        return new NativeBackend("cuda", new Device(DeviceType.CUDA, (byte) 0), lib);
    }

    private static void checkAbi(NativeFunctions lib) {
        int version = lib.abiVersion();
        if (version != NativeLibraries.ABI_VERSION) {
            throw new BackendUnavailableException(lib.library() + " has kernel ABI version " + version
                    + " but this code needs " + NativeLibraries.ABI_VERSION + ": rebuild the native libraries");
        }
    }

    @SuppressWarnings("restricted") // dlopen of the driver, only to say why CUDA is unavailable
    private static boolean driverPresent() {
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup.libraryLookup("libcuda.so.1", arena);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Loads once; remembers a failure so every later call throws the same clear reason. */
    private static final class Memo {
        private final Supplier<KernelBackend> loader;
        private KernelBackend backend;
        private RuntimeException failure;

        Memo(Supplier<KernelBackend> loader) {
            this.loader = loader;
        }

        synchronized KernelBackend get() {
            if (backend == null && failure == null) {
                try {
                    backend = loader.get();
                } catch (BackendUnavailableException e) {
                    failure = e;
                } catch (ExceptionInInitializerError | UnsatisfiedLinkError e) {
                    failure = new BackendUnavailableException("cannot bind the kernel library: " + e, e);
                }
            }
            if (failure != null) {
                throw new BackendUnavailableException(failure.getMessage(), failure);
            }
            return backend;
        }
    }
}
