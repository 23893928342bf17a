package io.capxai.kernels;

import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Runs each kernel of a backend on fresh random inputs and compares it with
 * {@link ReferenceKernels} (float64). Used by {@code capxai kernels selftest} and the tests.
 */
public final class KernelSelfTest {
    /** Float32 outputs (resizes, surgery): a few float32 roundings per value. */
    public static final double FLOAT_TOLERANCE = 1e-5;
    /** Float64 accumulators fed with float32 block sums (cross moment, weighted sum). */
    public static final double BLOCK_SUM_TOLERANCE = 1e-5;
    /** Float64 moments: the audit needs sigma to better than 1e-6 even at mean 1e4, std 1. */
    public static final double MOMENTS_TOLERANCE = 1e-7;

    private KernelSelfTest() {}

    /** One comparison: kernel, backend, the case, the error, and the tolerance it must stay under. */
    public record Result(String kernel, String backend, String inputs, double maxRelativeError, double tolerance) {
        public boolean passed() {
            return maxRelativeError <= tolerance; // false for NaN
        }

        @Override
        public String toString() {
            return String.format("%-15s %-5s %-44s max rel err %.2e (tol %.0e) %s", kernel, backend, inputs,
                    maxRelativeError, tolerance, passed() ? "PASS" : "FAIL");
        }
    }

    /** The standard set of cases: odd shapes (1x1 maps, C = 1, n = 1 and 3, 7x7 vs 112x112, mean 1e4). */
    public static List<Result> all(KernelBackend k, long seed) {
        Random rnd = new Random(seed);
        List<Result> results = new ArrayList<>();
        results.add(moments(k, rnd, 3, 5, 7, 7, 0, 1));
        results.add(moments(k, rnd, 1, 1, 1, 1, 0, 1));
        results.add(moments(k, rnd, 3, 4, 14, 14, 1e4, 1));
        results.add(momentsMerge(k, rnd, 6, 3, 5, 1e4, 1));
        results.add(resizeAdjoint(k, rnd, 1, 2, 7, 7, 112, 112, true));
        results.add(resizeAdjoint(k, rnd, 3, 1, 1, 1, 5, 5, false));
        results.add(resizeAdjoint(k, rnd, 2, 3, 5, 6, 9, 8, true));
        results.add(resizeAdjoint(k, rnd, 1, 2, 6, 6, 6, 6, false));
        for (ResizeMode mode : ResizeMode.values()) {
            results.add(resize(k, rnd, 1, 2, 7, 7, 112, 112, mode));
            results.add(resize(k, rnd, 3, 1, 28, 28, 7, 7, mode));
            results.add(resize(k, rnd, 1, 1, 1, 1, 3, 3, mode));
            results.add(resize(k, rnd, 2, 3, 5, 9, 8, 4, mode));
        }
        results.add(weightedSum(k, rnd, 3, 4, 7, 7, 1e4, true, true));
        results.add(weightedSum(k, rnd, 1, 1, 1, 1, 0, false, false));
        results.add(crossMoment(k, rnd, 3, 5, 7, 7, 7, 0, false));
        results.add(crossMoment(k, rnd, 3, 4, 3, 14, 14, 1e4, true));
        results.add(crossMoment(k, rnd, 1, 1, 1, 1, 1, 0, true));
        results.add(crossMoment(k, rnd, 2, 3, 2, 23, 23, 0, true)); // 529 positions: several 256-blocks
        for (ResizeMode mode : ResizeMode.values()) {
            results.add(surgeryApply(k, rnd, 3, 6, 14, 14, 4, 7, 7, mode));
            results.add(surgeryApply(k, rnd, 1, 3, 7, 7, 5, 112, 112, mode));
        }
        results.add(surgeryApply(k, rnd, 2, 1, 5, 5, 2, 5, 5, ResizeMode.BILINEAR));
        return results;
    }

    public static Result moments(KernelBackend k, Random rnd, int n, int c, int h, int w, double mean, double std) {
        float[] x = random(rnd, n * c * h * w, mean, std);
        ChannelMoments acc = k.newMoments(c).update(onDevice(k, x, n, c, h, w));
        var ref = ReferenceKernels.moments(toDoubles(x), n, c, h * w);
        double err = momentsError(acc, ref);
        return new Result("moments", k.name(), shape(n, c, h, w) + meanStd(mean, std), err, MOMENTS_TOLERANCE);
    }

    /** Splits the images into two batches, updates two accumulators, merges them; compares with one pass. */
    public static Result momentsMerge(KernelBackend k, Random rnd, int n, int c, int hw, double mean, double std) {
        int first = n / 3;
        float[] a = random(rnd, first * c * hw, mean, std);
        float[] b = random(rnd, (n - first) * c * hw, mean + std, std * 2);
        ChannelMoments left = k.newMoments(c).update(onDevice(k, a, first, c, hw));
        ChannelMoments right = k.newMoments(c).update(onDevice(k, b, n - first, c, hw));
        left.merge(right);
        float[] all = new float[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        var ref = ReferenceKernels.moments(toDoubles(all), n, c, hw);
        return new Result("moments_merge", k.name(), first + "+" + (n - first) + " images of [" + c + ", " + hw + "]"
                + meanStd(mean, std), momentsError(left, ref), MOMENTS_TOLERANCE);
    }

    public static Result resizeAdjoint(KernelBackend k, Random rnd, int n, int c, int sh, int sw, int mh, int mw,
                                       boolean withShift) {
        float[] x = random(rnd, n * c * mh * mw, 0, 1);
        float[] shift = withShift ? random(rnd, c, 0.5, 0.2) : null;
        Tensor out = k.resizeAdjoint(onDevice(k, x, n, c, mh, mw), withShift ? onDevice(k, shift, c) : null, sh, sw);
        double[] ref = ReferenceKernels.resizeAdjoint(toDoubles(x), n, c, mh, mw, toDoubles(shift), sh, sw);
        return new Result("resize_adjoint", k.name(), shape(n, c, mh, mw) + " -> " + sh + "x" + sw
                + (withShift ? " shifted" : ""), ReferenceKernels.maxRelativeError(read(out), ref), FLOAT_TOLERANCE);
    }

    public static Result resize(KernelBackend k, Random rnd, int n, int c, int ih, int iw, int oh, int ow,
                                ResizeMode mode) {
        float[] x = random(rnd, n * c * ih * iw, 0, 1);
        Tensor out = k.resize(onDevice(k, x, n, c, ih, iw), oh, ow, mode);
        double[] ref = ReferenceKernels.resize(toDoubles(x), n, c, ih, iw, oh, ow, mode);
        return new Result("resize", k.name(), shape(n, c, ih, iw) + " -> " + oh + "x" + ow + " "
                + mode.name().toLowerCase(Locale.ROOT),
                ReferenceKernels.maxRelativeError(read(out), ref), FLOAT_TOLERANCE);
    }

    public static Result weightedSum(KernelBackend k, Random rnd, int n, int c, int h, int w, double mean,
                                     boolean withShift, boolean withWeights) {
        float[] x = random(rnd, n * c * h * w, mean, 1);
        float[] shift = withShift ? random(rnd, c, mean, 0.5) : null;
        float[] weights = withWeights ? random(rnd, h * w, 1, 0.3) : null;
        Tensor acc = k.zeros(true, c);
        k.weightedSum(onDevice(k, x, n, c, h, w), withShift ? onDevice(k, shift, c) : null,
                withWeights ? onDevice(k, weights, h * w) : null, acc);
        double[] ref = ReferenceKernels.weightedSum(toDoubles(x), n, c, h * w, toDoubles(shift), toDoubles(weights));
        return new Result("weighted_sum", k.name(), shape(n, c, h, w) + meanStd(mean, 1)
                + (withShift ? " shifted" : "") + (withWeights ? " weighted" : ""),
                ReferenceKernels.maxRelativeError(Tensors.toDoubles(acc), ref), BLOCK_SUM_TOLERANCE);
    }

    public static Result crossMoment(KernelBackend k, Random rnd, int n, int ca, int cb, int h, int w, double mean,
                                     boolean withShift) {
        float[] a = random(rnd, n * ca * h * w, mean, 1);
        float[] b = random(rnd, n * cb * h * w, -mean, 1);
        float[] shiftA = withShift ? random(rnd, ca, mean, 0.1) : null;
        float[] shiftB = withShift ? random(rnd, cb, -mean, 0.1) : null;
        Tensor x = k.zeros(true, ca, cb);
        k.crossMoment(onDevice(k, a, n, ca, h, w), withShift ? onDevice(k, shiftA, ca) : null,
                onDevice(k, b, n, cb, h, w), withShift ? onDevice(k, shiftB, cb) : null, x);
        double[] ref = ReferenceKernels.crossMoment(toDoubles(a), toDoubles(shiftA), ca, toDoubles(b),
                toDoubles(shiftB), cb, n, h * w);
        return new Result("cross_moment", k.name(), n + " x (" + ca + " vs " + cb + ") at " + h + "x" + w
                + meanStd(mean, 1) + (withShift ? " shifted" : ""),
                ReferenceKernels.maxRelativeError(Tensors.toDoubles(x), ref), BLOCK_SUM_TOLERANCE);
    }

    /** Grafts every destination channel from a random source channel (many-to-one, as in docs/method.md#selection). */
    public static Result surgeryApply(KernelBackend k, Random rnd, int n, int cs, int sh, int sw, int cd, int dh,
                                      int dw, ResizeMode mode) {
        float[] src = random(rnd, n * cs * sh * sw, 3, 2);
        float[] dst = random(rnd, n * cd * dh * dw, 0, 1);
        float[] srcMean = random(rnd, cs, 3, 0.1);
        float[] srcStd = positive(rnd, cs);
        float[] dstMean = random(rnd, cd, 1, 1);
        float[] dstStd = positive(rnd, cd);
        // Distinct destinations in shuffled order, one left untouched when there are several.
        List<Integer> order = new ArrayList<>();
        for (int j = 0; j < cd; j++) {
            order.add(j);
        }
        Collections.shuffle(order, rnd);
        int pairs = Math.max(1, cd - 1);
        int[] dstChannel = new int[pairs];
        int[] srcChannel = new int[pairs];
        for (int q = 0; q < pairs; q++) {
            dstChannel[q] = order.get(q);
            srcChannel[q] = rnd.nextInt(cs); // sources may repeat (many-to-one)
        }
        float eps = 1e-5f;
        Tensor dstTensor = onDevice(k, dst, n, cd, dh, dw);
        k.surgeryApply(onDevice(k, src, n, cs, sh, sw), onDevice(k, srcMean, cs), onDevice(k, srcStd, cs),
                dstTensor, onDevice(k, dstMean, cd), onDevice(k, dstStd, cd),
                onDevice(k, Tensors.fromInts(dstChannel, pairs)), onDevice(k, Tensors.fromInts(srcChannel, pairs)),
                mode, eps);
        double[] ref = ReferenceKernels.surgeryApply(toDoubles(src), n, cs, sh, sw, toDoubles(srcMean),
                toDoubles(srcStd), toDoubles(dst), cd, dh, dw, toDoubles(dstMean), toDoubles(dstStd), dstChannel,
                srcChannel, mode, eps);
        return new Result("surgery_apply", k.name(), shape(n, cs, sh, sw) + " -> " + shape(n, cd, dh, dw) + " "
                + mode.name().toLowerCase(Locale.ROOT),
                ReferenceKernels.maxRelativeError(read(dstTensor), ref), FLOAT_TOLERANCE);
    }

    // --- helpers ---------------------------------------------------------------------------

    private static double momentsError(ChannelMoments acc, ReferenceKernels.Moments ref) {
        double[][] got = acc.toArrays();
        double err = ReferenceKernels.maxRelativeError(got[0], ref.count());
        err = Math.max(err, ReferenceKernels.maxRelativeError(got[1], ref.mean()));
        return Math.max(err, ReferenceKernels.maxRelativeError(got[2], ref.m2()));
    }

    /** Gaussian float32 values; the reference sees exactly these values. */
    public static float[] random(Random rnd, int count, double mean, double std) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = (float) (mean + std * rnd.nextGaussian());
        }
        return v;
    }

    private static float[] positive(Random rnd, int count) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = (float) (0.5 + rnd.nextDouble());
        }
        return v;
    }

    /** A float32 tensor with these values on the backend's device. */
    public static Tensor onDevice(KernelBackend k, float[] values, long... shape) {
        return onDevice(k, Tensors.fromFloats(values, shape));
    }

    private static Tensor onDevice(KernelBackend k, Tensor cpu) {
        return k.device().is_cuda() ? cpu.to(k.device(), cpu.scalar_type()) : cpu;
    }

    private static double[] read(Tensor t) {
        return Tensors.toDoubles(t);
    }

    public static double[] toDoubles(float[] v) {
        if (v == null) {
            return null;
        }
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    private static String shape(long... dims) {
        return Arrays.toString(dims);
    }

    private static String meanStd(double mean, double std) {
        return mean == 0 && std == 1 ? "" : String.format(" mean %.0e std %.0f", mean, std);
    }
}
