package io.capxai.kernels;

import java.lang.foreign.MemorySegment;

/**
 * The C functions of capxai_kernels.h, one method each, same argument order. Two
 * implementations forward to the two generated binding classes (the CPU and the CUDA
 * library export the same symbols). Callers must validate arguments first.
 */
interface NativeFunctions {
    /** "libcapxai_cpu.so" or "libcapxai_cuda.so", for messages. */
    String library();

    int abiVersion();

    String lastError();

    int deviceCount();

    int momentsUpdate(MemorySegment x, long n, long c, long hw,
                      MemorySegment count, MemorySegment mean, MemorySegment m2, MemorySegment stream);

    int momentsMerge(MemorySegment countA, MemorySegment meanA, MemorySegment m2A,
                     MemorySegment countB, MemorySegment meanB, MemorySegment m2B, long c, MemorySegment stream);

    int resizeAdjoint(MemorySegment x, long n, long c, long mh, long mw,
                      MemorySegment shift, MemorySegment out, long sh, long sw, MemorySegment stream);

    int resize(MemorySegment x, long n, long c, long ih, long iw,
               MemorySegment out, long oh, long ow, int mode, MemorySegment stream);

    int weightedSum(MemorySegment x, long n, long c, long hw,
                    MemorySegment shift, MemorySegment w, MemorySegment acc, MemorySegment stream);

    int crossMoment(MemorySegment a, MemorySegment shiftA, long ca, MemorySegment b, MemorySegment shiftB, long cb,
                    long n, long hw, MemorySegment x, MemorySegment stream);

    int surgeryApply(MemorySegment src, long n, long cs, long sh, long sw,
                     MemorySegment srcMean, MemorySegment srcStd,
                     MemorySegment dst, long cd, long dh, long dw,
                     MemorySegment dstMean, MemorySegment dstStd,
                     MemorySegment dstChannel, MemorySegment srcChannel, long pairs,
                     int mode, float eps, MemorySegment stream);
}
