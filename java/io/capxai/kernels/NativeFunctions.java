package io.capxai.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The C functions of capxai_kernels.h for one kernel library, one method each, same
 * argument order: the downcall handles of the jextract bindings of that library
 * ({@code io.capxai.kernels.ffm.cpu} or {@code .cuda}; both libraries export the same
 * symbols). Callers must validate arguments first.
 */
final class NativeFunctions {
    private final String library;
    private final MethodHandle abiVersion, lastError, deviceCount, momentsUpdate, momentsMerge, resizeAdjoint,
            resize, weightedSum, crossMoment, surgeryApply;

    /** libcapxai_cpu.so, bound through {@code io.capxai.kernels.ffm.cpu}. */
    static NativeFunctions cpu() {
        return new NativeFunctions("capxai_cpu", io.capxai.kernels.ffm.cpu.capxai_kernels_h.class);
    }

    /** libcapxai_cuda.so, bound through {@code io.capxai.kernels.ffm.cuda}. */
    static NativeFunctions cuda() {
        return new NativeFunctions("capxai_cuda", io.capxai.kernels.ffm.cuda.capxai_kernels_h.class);
    }

    /**
     * Loads {@code lib<name>.so} (a clear {@link BackendUnavailableException} when it is
     * missing or stale), then takes each function's handle from the bindings class.
     */
    private NativeFunctions(String name, Class<?> bindings) {
        NativeLibraries.load(name);
        this.library = "lib" + name + ".so";
        this.abiVersion = handle(bindings, "capxai_abi_version");
        this.lastError = handle(bindings, "capxai_last_error");
        this.deviceCount = handle(bindings, "capxai_device_count");
        this.momentsUpdate = handle(bindings, "capxai_moments_update");
        this.momentsMerge = handle(bindings, "capxai_moments_merge");
        this.resizeAdjoint = handle(bindings, "capxai_resize_adjoint");
        this.resize = handle(bindings, "capxai_resize");
        this.weightedSum = handle(bindings, "capxai_weighted_sum");
        this.crossMoment = handle(bindings, "capxai_cross_moment");
        this.surgeryApply = handle(bindings, "capxai_surgery_apply");
    }

    /** The generated {@code <symbol>$handle()}: the downcall handle of that C function. */
    private static MethodHandle handle(Class<?> bindings, String symbol) {
        try {
            return (MethodHandle) MethodHandles.publicLookup()
                    .findStatic(bindings, symbol + "$handle", MethodType.methodType(MethodHandle.class))
                    .invoke();
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(bindings.getName() + " has no usable " + symbol + "$handle()", e);
        }
    }

    /** "libcapxai_cpu.so" or "libcapxai_cuda.so", for messages. */
    String library() {
        return library;
    }

    int abiVersion() {
        return (int) call(() -> (int) abiVersion.invokeExact());
    }

    String lastError() {
        return ((MemorySegment) call(() -> (MemorySegment) lastError.invokeExact())).getString(0);
    }

    int deviceCount() {
        return (int) call(() -> (int) deviceCount.invokeExact());
    }

    int momentsUpdate(MemorySegment x, long n, long c, long hw,
                      MemorySegment count, MemorySegment mean, MemorySegment m2, MemorySegment stream) {
        return (int) call(() -> (int) momentsUpdate.invokeExact(x, n, c, hw, count, mean, m2, stream));
    }

    int momentsMerge(MemorySegment countA, MemorySegment meanA, MemorySegment m2A,
                     MemorySegment countB, MemorySegment meanB, MemorySegment m2B, long c, MemorySegment stream) {
        return (int) call(() -> (int) momentsMerge.invokeExact(countA, meanA, m2A, countB, meanB, m2B, c, stream));
    }

    int resizeAdjoint(MemorySegment x, long n, long c, long mh, long mw,
                      MemorySegment shift, MemorySegment out, long sh, long sw, MemorySegment stream) {
        return (int) call(() -> (int) resizeAdjoint.invokeExact(x, n, c, mh, mw, shift, out, sh, sw, stream));
    }

    int resize(MemorySegment x, long n, long c, long ih, long iw,
               MemorySegment out, long oh, long ow, int mode, MemorySegment stream) {
        return (int) call(() -> (int) resize.invokeExact(x, n, c, ih, iw, out, oh, ow, mode, stream));
    }

    int weightedSum(MemorySegment x, long n, long c, long hw,
                    MemorySegment shift, MemorySegment w, MemorySegment acc, MemorySegment stream) {
        return (int) call(() -> (int) weightedSum.invokeExact(x, n, c, hw, shift, w, acc, stream));
    }

    int crossMoment(MemorySegment a, MemorySegment shiftA, long ca, MemorySegment b, MemorySegment shiftB, long cb,
                    long n, long hw, MemorySegment x, MemorySegment stream) {
        return (int) call(() -> (int) crossMoment.invokeExact(a, shiftA, ca, b, shiftB, cb, n, hw, x, stream));
    }

    int surgeryApply(MemorySegment src, long n, long cs, long sh, long sw,
                     MemorySegment srcMean, MemorySegment srcStd,
                     MemorySegment dst, long cd, long dh, long dw,
                     MemorySegment dstMean, MemorySegment dstStd,
                     MemorySegment dstChannel, MemorySegment srcChannel, long pairs,
                     int mode, float eps, MemorySegment stream) {
        return (int) call(() -> (int) surgeryApply.invokeExact(src, n, cs, sh, sw, srcMean, srcStd, dst, cd, dh, dw,
                dstMean, dstStd, dstChannel, srcChannel, pairs, mode, eps, stream));
    }

    /** A downcall; the handles throw no checked exception, so any other Throwable is a defect. */
    private static Object call(Downcall downcall) {
        try {
            return downcall.invoke();
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new AssertionError("downcall threw " + e, e);
        }
    }

    @FunctionalInterface
    private interface Downcall {
        Object invoke() throws Throwable;
    }
}
