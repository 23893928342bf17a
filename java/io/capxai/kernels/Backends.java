package io.capxai.kernels;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;

import java.util.Objects;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Which kernel backend serves tensors on which device: the engine asks with the device of its
 * activations ({@link #forTensor}), so a CPU tensor always goes to the CPU kernels and a tensor on
 * cuda:N to the CUDA kernels bound to cuda:N, whatever backend a caller would have preferred.
 * {@link #SYSTEM} holds this machine's libraries; tests build one with a recording fake.
 */
public final class Backends {
    /** The real libraries: {@link Kernels#cpu()} and {@link Kernels#cuda(int)}. */
    public static final Backends SYSTEM = new Backends(Kernels::cpu, Kernels::cuda);

    private final Supplier<KernelBackend> cpu;
    private final IntFunction<KernelBackend> cuda;

    private Backends(Supplier<KernelBackend> cpu, IntFunction<KernelBackend> cuda) {
        this.cpu = Objects.requireNonNull(cpu);
        this.cuda = Objects.requireNonNull(cuda);
    }

    /** A routing of your own: {@code cuda} gets the device index (e.g. a fake that records calls, in tests). */
    public static Backends of(Supplier<KernelBackend> cpu, IntFunction<KernelBackend> cuda) {
        return new Backends(cpu, cuda);
    }

    /**
     * The system routing, except that {@code preferred} serves the device it was made for: a caller's
     * backend is used only for tensors on its own device, never for others.
     */
    public static Backends preferring(KernelBackend preferred) {
        if (preferred == null) {
            return SYSTEM;
        }
        Device own = preferred.device();
        return new Backends(
                () -> own.is_cpu() ? preferred : Kernels.cpu(),
                i -> own.is_cuda() && Math.max(own.index(), 0) == i ? preferred : Kernels.cuda(i));
    }

    /** The backend for tensors on {@code device}. */
    public KernelBackend forDevice(Device device) {
        if (device.is_cpu()) {
            return cpu.get();
        }
        if (device.is_cuda()) {
            return cuda.apply(Math.max(device.index(), 0));
        }
        throw new IllegalArgumentException("no kernels for device " + device.str().getString() + " (cpu or cuda only)");
    }

    /** The backend for the device {@code t} lives on. */
    public KernelBackend forTensor(Tensor t) {
        return forDevice(t.device());
    }
}
