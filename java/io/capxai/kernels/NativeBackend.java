package io.capxai.kernels;

import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@link KernelBackend} over one kernel library: validates, then calls the C function with
 * zero-copy pointers into the tensors. The CPU and the CUDA backend differ only in the
 * library, the device tensors must live on, and the stream argument.
 */
final class NativeBackend implements KernelBackend {
    private final String name;
    private final Device device;
    private final NativeFunctions lib;
    /** Surgery plans checked on the host, most recent last (see {@link #checkPlanOnce}). */
    private final Map<PlanKey, Boolean> checkedPlans = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<PlanKey, Boolean> eldest) {
            return size() > 256;
        }
    });

    NativeBackend(String name, Device device, NativeFunctions lib) {
        this.name = name;
        this.device = device;
        this.lib = lib;
    }

    /** The same library on another device (another GPU). */
    NativeBackend on(Device other) {
        return new NativeBackend(name, other, lib);
    }

    /** Devices the library sees (0 for the CPU library). */
    int deviceCount() {
        return lib.deviceCount();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public Tensor zeros(boolean float64, long... shape) {
        TensorOptions options = new TensorOptions(device)
                .dtype(new ScalarTypeOptional(float64 ? ScalarType.Double : ScalarType.Float));
        return torch.zeros(shape, options);
    }

    @Override
    public String toString() {
        return name + " kernels (" + lib.library() + (device.is_cuda() ? ", cuda:" + Math.max(device.index(), 0) : "") + ")";
    }

    @Override
    public void momentsUpdate(Tensor x, Tensor count, Tensor mean, Tensor m2) {
        String op = "momentsUpdate";
        var xs = data(op, "x", x).rank(3, 4);
        long n = xs.size(0), c = xs.size(1), hw = xs.positions();
        accumulator(op, "count", count, c);
        accumulator(op, "mean", mean, c);
        accumulator(op, "m2", m2, c);
        int status = lib.momentsUpdate(ptr(x), n, c, hw, ptr(count), ptr(mean), ptr(m2), stream());
        Reference.reachabilityFence(new Object[] {x, count, mean, m2});
        check("capxai_moments_update", status);
    }

    @Override
    public void momentsMerge(Tensor countA, Tensor meanA, Tensor m2A, Tensor countB, Tensor meanB, Tensor m2B) {
        String op = "momentsMerge";
        long c = accumulator(op, "countA", countA, -1).size(0);
        accumulator(op, "meanA", meanA, c);
        accumulator(op, "m2A", m2A, c);
        accumulator(op, "countB", countB, c);
        accumulator(op, "meanB", meanB, c);
        accumulator(op, "m2B", m2B, c);
        int status = lib.momentsMerge(ptr(countA), ptr(meanA), ptr(m2A), ptr(countB), ptr(meanB), ptr(m2B), c,
                stream());
        Reference.reachabilityFence(new Object[] {countA, meanA, m2A, countB, meanB, m2B});
        check("capxai_moments_merge", status);
    }

    @Override
    public void resizeAdjoint(Tensor x, Tensor shift, Tensor out) {
        String op = "resizeAdjoint";
        var xs = data(op, "x", x).rank(4);
        long n = xs.size(0), c = xs.size(1), mh = xs.size(2), mw = xs.size(3);
        var os = data(op, "out", out).rank(4);
        long sh = os.size(2), sw = os.size(3);
        if (os.size(0) != n || os.size(1) != c) {
            throw Checks.fail(op, "out", "shape [" + n + ", " + c + ", sh, sw] (n and c of x)",
                    Tensors.shapeString(out));
        }
        if (sh > mh || sw > mw) {
            throw Checks.fail(op, "out", "a size no larger than x's " + mh + "x" + mw
                    + " (the adjoint of upsampling goes from large to small)", sh + "x" + sw);
        }
        optionalVector(op, "shift", shift, c);
        int status = lib.resizeAdjoint(ptr(x), n, c, mh, mw, ptrOrNull(shift), ptr(out), sh, sw, stream());
        Reference.reachabilityFence(new Object[] {x, shift, out});
        check("capxai_resize_adjoint", status);
    }

    @Override
    public void resize(Tensor x, Tensor out, ResizeMode mode) {
        String op = "resize";
        var xs = data(op, "x", x).rank(4);
        long n = xs.size(0), c = xs.size(1);
        var os = data(op, "out", out).rank(4);
        if (os.size(0) != n || os.size(1) != c) {
            throw Checks.fail(op, "out", "shape [" + n + ", " + c + ", oh, ow] (n and c of x)",
                    Tensors.shapeString(out));
        }
        requireMode(op, mode);
        int status = lib.resize(ptr(x), n, c, xs.size(2), xs.size(3), ptr(out), os.size(2), os.size(3), mode.code,
                stream());
        Reference.reachabilityFence(new Object[] {x, out});
        check("capxai_resize", status);
    }

    @Override
    public void weightedSum(Tensor x, Tensor shift, Tensor w, Tensor acc) {
        String op = "weightedSum";
        var xs = data(op, "x", x).rank(3, 4);
        long n = xs.size(0), c = xs.size(1), hw = xs.positions();
        optionalVector(op, "shift", shift, c);
        if (w != null) {
            var ws = data(op, "w", w);
            if (ws.t.numel() != hw || ws.t.dim() > 2) {
                throw Checks.fail(op, "w", "a map of " + hw + " positions ([hw] or [h, w], as x)",
                        "shape " + Tensors.shapeString(w));
            }
        }
        accumulator(op, "acc", acc, c);
        int status = lib.weightedSum(ptr(x), n, c, hw, ptrOrNull(shift), ptrOrNull(w), ptr(acc), stream());
        Reference.reachabilityFence(new Object[] {x, shift, w, acc});
        check("capxai_weighted_sum", status);
    }

    @Override
    public void crossMoment(Tensor a, Tensor shiftA, Tensor b, Tensor shiftB, Tensor out) {
        String op = "crossMoment";
        var as = data(op, "a", a).rank(3, 4);
        var bs = data(op, "b", b).rank(3, 4);
        long n = as.size(0), ca = as.size(1), hw = as.positions();
        if (bs.size(0) != n) {
            throw Checks.fail(op, "b", n + " images (as a, shape " + Tensors.shapeString(a) + ")",
                    bs.size(0) + " (shape " + Tensors.shapeString(b) + ")");
        }
        if (bs.positions() != hw) {
            throw Checks.fail(op, "b", hw + " positions per map (as a, shape " + Tensors.shapeString(a)
                    + "; resize the larger side with resizeAdjoint first)", bs.positions() + " (shape "
                    + Tensors.shapeString(b) + ")");
        }
        long cb = bs.size(1);
        optionalVector(op, "shiftA", shiftA, ca);
        optionalVector(op, "shiftB", shiftB, cb);
        Checks.arg(op, "out", out).float64().on(device).contiguous().shape(ca, cb);
        int status = lib.crossMoment(ptr(a), ptrOrNull(shiftA), ca, ptr(b), ptrOrNull(shiftB), cb, n, hw, ptr(out),
                stream());
        Reference.reachabilityFence(new Object[] {a, shiftA, b, shiftB, out});
        check("capxai_cross_moment", status);
    }

    @Override
    public void surgeryApply(Tensor src, Tensor srcMean, Tensor srcStd,
                             Tensor dst, Tensor dstMean, Tensor dstStd,
                             Tensor dstChannel, Tensor srcChannel, ResizeMode mode, float eps) {
        String op = "surgeryApply";
        var ss = data(op, "src", src).rank(4);
        var ds = data(op, "dst", dst).rank(4);
        long n = ss.size(0), cs = ss.size(1), cd = ds.size(1);
        if (ds.size(0) != n) {
            throw Checks.fail(op, "dst", n + " images (as src, shape " + Tensors.shapeString(src) + ")",
                    ds.size(0) + " (shape " + Tensors.shapeString(dst) + ")");
        }
        data(op, "srcMean", srcMean).shape(cs);
        data(op, "srcStd", srcStd).shape(cs);
        data(op, "dstMean", dstMean).shape(cd);
        data(op, "dstStd", dstStd).shape(cd);
        requireMode(op, mode);
        if (!Float.isFinite(eps) || eps < 0) {
            throw Checks.fail(op, "eps", "a finite value >= 0", eps);
        }
        long pairs = Checks.arg(op, "dstChannel", dstChannel).int32().on(device).contiguous().rank(1).size(0);
        Checks.arg(op, "srcChannel", srcChannel).int32().on(device).contiguous().shape(pairs);
        checkPlanOnce(op, dstChannel, srcChannel, pairs, cd, cs);
        int status = lib.surgeryApply(ptr(src), n, cs, ss.size(2), ss.size(3), ptr(srcMean), ptr(srcStd),
                ptr(dst), cd, ds.size(2), ds.size(3), ptr(dstMean), ptr(dstStd),
                ptr(dstChannel), ptr(srcChannel), pairs, mode.code, eps, stream());
        Reference.reachabilityFence(new Object[] {src, srcMean, srcStd, dst, dstMean, dstStd, dstChannel,
                srcChannel});
        check("capxai_surgery_apply", status);
    }

    // --- checks shared by the kernels ---------------------------------------------------

    /** A float32 data tensor on this backend's device, contiguous. */
    private Checks.TensorCheck data(String op, String name, Tensor t) {
        return Checks.arg(op, name, t).float32().on(device).contiguous();
    }

    /** A float64 accumulator of shape [c] (any c when c < 0). */
    private Checks.TensorCheck accumulator(String op, String name, Tensor t, long c) {
        var check = Checks.arg(op, name, t).float64().on(device).contiguous();
        return c < 0 ? check.rank(1) : check.shape(c);
    }

    /** A float32 vector of length c, or null. */
    private void optionalVector(String op, String name, Tensor t, long c) {
        if (t != null) {
            data(op, name, t).shape(c);
        }
    }

    private static void requireMode(String op, ResizeMode mode) {
        if (mode == null) {
            throw Checks.fail(op, "mode", "BILINEAR or BICUBIC", "null");
        }
    }

    /**
     * {@link #checkChannels} once per plan: reading the index tensors is a device-to-host copy (a sync)
     * on CUDA, and a surgery applies the same plan to every batch. A plan is known by its tensors'
     * addresses and version counters (bumped by every in-place write), so an edited plan is read again.
     * Should a freed plan's memory be reused for another at the same version, the CUDA library still
     * checks the plan on the device before writing anything.
     */
    private void checkPlanOnce(String op, Tensor dstChannel, Tensor srcChannel, long pairs, long cd, long cs) {
        if (!device.is_cuda()) {
            checkChannels(op, dstChannel, srcChannel, cd, cs);
            return;
        }
        PlanKey key = new PlanKey(dstChannel.data_ptr().address(), srcChannel.data_ptr().address(), pairs,
                dstChannel.__dispatch__version(), srcChannel.__dispatch__version(), cd, cs);
        if (!checkedPlans.containsKey(key)) {
            checkChannels(op, dstChannel, srcChannel, cd, cs);
            checkedPlans.put(key, Boolean.TRUE);
        }
    }

    private record PlanKey(long dst, long src, long pairs, long dstVersion, long srcVersion, long cd, long cs) {}

    /** Index ranges and uniqueness of the surgery plan (copied to the heap: it is small). */
    private static void checkChannels(String op, Tensor dstChannel, Tensor srcChannel, long cd, long cs) {
        long[] dstIdx = Tensors.toLongs(dstChannel);
        long[] srcIdx = Tensors.toLongs(srcChannel);
        Set<Long> seen = new HashSet<>();
        for (int q = 0; q < dstIdx.length; q++) {
            if (dstIdx[q] < 0 || dstIdx[q] >= cd) {
                throw Checks.fail(op, "dstChannel[" + q + "]", "a channel of dst in [0, " + cd + ")", dstIdx[q]);
            }
            if (srcIdx[q] < 0 || srcIdx[q] >= cs) {
                throw Checks.fail(op, "srcChannel[" + q + "]", "a channel of src in [0, " + cs + ")", srcIdx[q]);
            }
            if (!seen.add(dstIdx[q])) {
                throw Checks.fail(op, "dstChannel", "each dst channel at most once",
                        "channel " + dstIdx[q] + " twice in " + abbreviate(dstIdx));
            }
        }
    }

    private static String abbreviate(long[] values) {
        return values.length <= 16 ? Arrays.toString(values)
                : Arrays.toString(Arrays.copyOf(values, 16)).replace("]", ", ...]");
    }

    // --- the native call -----------------------------------------------------------------

    /** Zero-copy address of a validated tensor: a bounded segment on the CPU, a raw device pointer on CUDA. */
    private MemorySegment ptr(Tensor t) {
        return device.is_cuda() ? Tensors.devicePointer(t) : Tensors.segment(t);
    }

    private MemorySegment ptrOrNull(Tensor t) {
        return t == null ? MemorySegment.NULL : ptr(t);
    }

    private MemorySegment stream() {
        return device.is_cuda() ? CudaStreams.enter(device) : MemorySegment.NULL;
    }

    private void check(String kernel, int status) {
        if (status != KernelException.OK) {
            throw new KernelException(kernel, status, lib.lastError());
        }
    }
}
