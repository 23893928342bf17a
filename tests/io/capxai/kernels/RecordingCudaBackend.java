package io.capxai.kernels;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.DeviceType;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the CUDA kernels on a machine without a GPU: claims cuda:N, records every call
 * (its name and the device of its first tensor), then fails it, as real CUDA kernels would fail
 * on host memory. Tests assert that a CPU run leaves {@link #calls()} empty.
 */
public final class RecordingCudaBackend implements KernelBackend {
    private final Device device;
    private final List<String> calls = new CopyOnWriteArrayList<>();

    public RecordingCudaBackend(int index) {
        this.device = new Device(DeviceType.CUDA, (byte) index);
    }

    /** "momentsUpdate(cpu)", ... in call order. */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    private IllegalStateException record(String op, Tensor first) {
        String on = first == null ? "-" : first.device().str().getString();
        calls.add(op + "(" + on + ")");
        return new IllegalStateException("fake CUDA kernel " + op + " called with a tensor on " + on);
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public Tensor zeros(boolean float64, long... shape) {
        throw record("zeros", null);
    }

    @Override
    public void momentsUpdate(Tensor x, Tensor count, Tensor mean, Tensor m2) {
        throw record("momentsUpdate", x);
    }

    @Override
    public void momentsMerge(Tensor countA, Tensor meanA, Tensor m2A, Tensor countB, Tensor meanB, Tensor m2B) {
        throw record("momentsMerge", countA);
    }

    @Override
    public void resizeAdjoint(Tensor x, Tensor shift, Tensor out) {
        throw record("resizeAdjoint", x);
    }

    @Override
    public void resize(Tensor x, Tensor out, ResizeMode mode) {
        throw record("resize", x);
    }

    @Override
    public void weightedSum(Tensor x, Tensor shift, Tensor w, Tensor acc) {
        throw record("weightedSum", x);
    }

    @Override
    public void crossMoment(Tensor a, Tensor shiftA, Tensor b, Tensor shiftB, Tensor out) {
        throw record("crossMoment", a);
    }

    @Override
    public void surgeryApply(Tensor src, Tensor srcMean, Tensor srcStd, Tensor dst, Tensor dstMean, Tensor dstStd,
                             Tensor dstChannel, Tensor srcChannel, ResizeMode mode, float eps) {
        throw record("surgeryApply", src);
    }
}
