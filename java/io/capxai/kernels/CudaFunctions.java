package io.capxai.kernels;

import io.capxai.kernels.ffm.cuda.capxai_kernels_h;

import java.lang.foreign.MemorySegment;

/** {@link NativeFunctions} backed by libcapxai_cuda.so (bindings in io.capxai.kernels.ffm.cuda). */
final class CudaFunctions implements NativeFunctions {
    @Override
    public String library() {
        return "libcapxai_cuda.so";
    }

    @Override
    public int abiVersion() {
        return capxai_kernels_h.capxai_abi_version();
    }

    @Override
    public String lastError() {
        return capxai_kernels_h.capxai_last_error().getString(0);
    }

    @Override
    public int deviceCount() {
        return capxai_kernels_h.capxai_device_count();
    }

    @Override
    public int momentsUpdate(MemorySegment x, long n, long c, long hw,
                             MemorySegment count, MemorySegment mean, MemorySegment m2, MemorySegment stream) {
        return capxai_kernels_h.capxai_moments_update(x, n, c, hw, count, mean, m2, stream);
    }

    @Override
    public int momentsMerge(MemorySegment countA, MemorySegment meanA, MemorySegment m2A,
                            MemorySegment countB, MemorySegment meanB, MemorySegment m2B, long c,
                            MemorySegment stream) {
        return capxai_kernels_h.capxai_moments_merge(countA, meanA, m2A, countB, meanB, m2B, c, stream);
    }

    @Override
    public int resizeAdjoint(MemorySegment x, long n, long c, long mh, long mw,
                             MemorySegment shift, MemorySegment out, long sh, long sw, MemorySegment stream) {
        return capxai_kernels_h.capxai_resize_adjoint(x, n, c, mh, mw, shift, out, sh, sw, stream);
    }

    @Override
    public int resize(MemorySegment x, long n, long c, long ih, long iw,
                      MemorySegment out, long oh, long ow, int mode, MemorySegment stream) {
        return capxai_kernels_h.capxai_resize(x, n, c, ih, iw, out, oh, ow, mode, stream);
    }

    @Override
    public int weightedSum(MemorySegment x, long n, long c, long hw,
                           MemorySegment shift, MemorySegment w, MemorySegment acc, MemorySegment stream) {
        return capxai_kernels_h.capxai_weighted_sum(x, n, c, hw, shift, w, acc, stream);
    }

    @Override
    public int crossMoment(MemorySegment a, MemorySegment shiftA, long ca, MemorySegment b, MemorySegment shiftB,
                           long cb, long n, long hw, MemorySegment x, MemorySegment stream) {
        return capxai_kernels_h.capxai_cross_moment(a, shiftA, ca, b, shiftB, cb, n, hw, x, stream);
    }

    @Override
    public int surgeryApply(MemorySegment src, long n, long cs, long sh, long sw,
                            MemorySegment srcMean, MemorySegment srcStd,
                            MemorySegment dst, long cd, long dh, long dw,
                            MemorySegment dstMean, MemorySegment dstStd,
                            MemorySegment dstChannel, MemorySegment srcChannel, long pairs,
                            int mode, float eps, MemorySegment stream) {
        return capxai_kernels_h.capxai_surgery_apply(src, n, cs, sh, sw, srcMean, srcStd, dst, cd, dh, dw,
                dstMean, dstStd, dstChannel, srcChannel, pairs, mode, eps, stream);
    }
}
