package io.capxai.tensors;

import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.DeviceType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where a run's weights, batches and activations live: {@code cpu}, {@code cuda} (device 0),
 * {@code cuda:N}, or {@code auto} (CUDA when this build's libtorch has CUDA support and a device is
 * present, else the CPU). Parsed in one place for the command line and the builders;
 * {@link #resolve()} turns a request into a concrete device or fails with one line saying why.
 */
public record Device(Type type, int index) {
    public enum Type { CPU, CUDA, AUTO }

    public static final Device CPU = new Device(Type.CPU, -1);
    public static final Device AUTO = new Device(Type.AUTO, -1);

    public Device {
        if (type == null) {
            throw new IllegalArgumentException("device type is null");
        }
        if (type != Type.CUDA && index != -1) {
            throw new IllegalArgumentException(type.name().toLowerCase(Locale.ROOT) + " takes no device index, got " + index);
        }
        if (type == Type.CUDA && index < 0) {
            throw new IllegalArgumentException("CUDA device index must be >= 0, got " + index);
        }
    }

    public static Device cuda(int index) {
        return new Device(Type.CUDA, index);
    }

    /** "cpu", "cuda" (= cuda:0), "cuda:N" or "auto", case-insensitive. */
    public static Device parse(String text) {
        String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "cpu":
                return CPU;
            case "auto":
                return AUTO;
            case "cuda":
                return cuda(0);
            default:
                break;
        }
        if (s.startsWith("cuda:")) {
            String n = s.substring(5);
            if (!n.isEmpty() && n.length() <= 3 && n.chars().allMatch(Character::isDigit)) {
                return cuda(Integer.parseInt(n));
            }
        }
        throw new IllegalArgumentException("device: expected cpu, cuda, cuda:N or auto, got '" + text + "'");
    }

    /**
     * A comma-separated list for one worker per device, e.g. "cuda:0,cuda:1" (or "cpu,cpu": several
     * CPU workers). A CUDA device may appear once only; "auto" is not allowed in a list.
     */
    public static List<Device> parseList(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("devices: expected a list such as cuda:0,cuda:1, got '" + text + "'");
        }
        List<Device> out = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            Device d = parse(part);
            if (d.type == Type.AUTO) {
                throw new IllegalArgumentException("devices: 'auto' cannot be part of a list; name each device");
            }
            out.add(d);
        }
        return requireDistinctCuda(out);
    }

    /**
     * Every device of a list {@link #resolve(CudaAvailability) resolved}, one worker each: the list
     * must not be empty, and a CUDA device may appear once only (after "auto" is decided).
     */
    public static List<Device> resolveAll(List<Device> devices, CudaAvailability cuda) {
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("devices: the list is empty; name at least one device");
        }
        return requireDistinctCuda(devices.stream().map(d -> d.resolve(cuda)).toList());
    }

    /** {@link #resolveAll(List, CudaAvailability)} against this process's libtorch (see {@link #resolve()} on TF32). */
    public static List<Device> resolveAll(List<Device> devices) {
        List<Device> resolved = resolveAll(devices, CudaAvailability.LIBTORCH);
        resolved.forEach(Device::fullFloat32OnCuda);
        return resolved;
    }

    /** Two workers on one GPU would share its memory and queue behind each other; several CPU workers are allowed. */
    private static List<Device> requireDistinctCuda(List<Device> devices) {
        Set<Device> cuda = new HashSet<>();
        for (Device d : devices) {
            if (d.type == Type.CUDA && !cuda.add(d)) {
                throw new IllegalArgumentException("devices: " + d + " is listed twice");
            }
        }
        return List.copyOf(devices);
    }

    public boolean isCuda() {
        return type == Type.CUDA;
    }

    /** The concrete device for this request on this machine (auto decided), checked against {@code cuda}. */
    public Device resolve(CudaAvailability cuda) {
        return switch (type) {
            case CPU -> this;
            case AUTO -> cuda.libtorchHasCuda() && cuda.deviceCount() > 0 ? cuda(0) : CPU;
            case CUDA -> {
                if (!cuda.libtorchHasCuda()) {
                    throw new DeviceUnavailableException(this + " requested, but this build's libtorch has no CUDA support:"
                            + " build with -Pgpu");
                }
                int count = cuda.deviceCount();
                if (count == 0) {
                    throw new DeviceUnavailableException(this + " requested, but no CUDA device is present"
                            + " (libtorch has CUDA support and sees 0 devices: is the NVIDIA driver installed?)");
                }
                if (index >= count) {
                    throw new DeviceUnavailableException(this + " requested, " + count
                            + (count == 1 ? " device present (cuda:0)" : " devices present (cuda:0 to cuda:" + (count - 1) + ")"));
                }
                yield this;
            }
        };
    }

    /**
     * {@link #resolve(CudaAvailability)} against this process's libtorch. A CUDA device also turns
     * off cuDNN's TF32 convolutions for the process (set them back with
     * {@code torch.globalContext().setAllowTF32CuDNN(true)} to trade precision for speed).
     */
    public Device resolve() {
        return fullFloat32OnCuda(resolve(CudaAvailability.LIBTORCH));
    }

    /**
     * PyTorch lets cuDNN convolve in TF32 on Ampere and later GPUs (10-bit mantissa, about 1e-3
     * relative); a GPU audit would then differ from the CPU audit by more than the 1e-4 it promises.
     */
    private static Device fullFloat32OnCuda(Device d) {
        if (d.isCuda()) {
            torch.globalContext().setAllowTF32CuDNN(false);
        }
        return d;
    }

    /** The libtorch device; only for a concrete device (resolve "auto" first). */
    public org.bytedeco.pytorch.Device torch() {
        return switch (type) {
            case CPU -> new org.bytedeco.pytorch.Device(DeviceType.CPU);
            case CUDA -> new org.bytedeco.pytorch.Device(DeviceType.CUDA, (byte) index);
            case AUTO -> throw new IllegalStateException("device 'auto' must be resolved before use");
        };
    }

    /** The device of a libtorch device or tensor device (CPU or CUDA only). */
    public static Device of(org.bytedeco.pytorch.Device d) {
        if (d.is_cpu()) {
            return CPU;
        }
        if (d.is_cuda()) {
            return cuda(Math.max(d.index(), 0));
        }
        throw new IllegalArgumentException("unsupported libtorch device " + d.str().getString() + " (cpu or cuda only)");
    }

    @Override
    public String toString() {
        return type == Type.CUDA ? "cuda:" + index : type.name().toLowerCase(Locale.ROOT);
    }

    /** What this process's libtorch offers; an interface so that tests can state a GPU machine. */
    public interface CudaAvailability {
        /** Whether libtorch was built with CUDA and its CUDA library loaded (the -Pgpu build). */
        boolean libtorchHasCuda();

        /** CUDA devices libtorch sees (0 without a driver or GPU). */
        int deviceCount();

        CudaAvailability LIBTORCH = new CudaAvailability() {
            @Override
            public boolean libtorchHasCuda() {
                Libtorch.configure(); // before libtorch loads
                return torch.hasCUDA();
            }

            @Override
            public int deviceCount() {
                return libtorchHasCuda() ? torch.cuda_device_count() : 0;
            }
        };

        static CudaAvailability of(boolean hasCuda, int devices) {
            return new CudaAvailability() {
                @Override
                public boolean libtorchHasCuda() {
                    return hasCuda;
                }

                @Override
                public int deviceCount() {
                    return devices;
                }
            };
        }
    }
}
