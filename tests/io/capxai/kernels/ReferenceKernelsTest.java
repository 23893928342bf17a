package io.capxai.kernels;

import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.Random;

import static io.capxai.kernels.KernelSelfTest.random;
import static io.capxai.kernels.KernelSelfTest.toDoubles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The float64 reference itself, against libtorch and against the algebra it must satisfy. */
class ReferenceKernelsTest {
    private final Random rnd = new Random(20261123);

    @ParameterizedTest(name = "{0}x{1} -> {2}x{3} {4}")
    @CsvSource({"7,7,112,112,BILINEAR", "28,28,7,7,BILINEAR", "1,1,3,3,BILINEAR", "5,9,8,4,BILINEAR",
            "7,7,112,112,BICUBIC", "28,28,7,7,BICUBIC", "1,1,3,3,BICUBIC", "5,9,8,4,BICUBIC", "6,6,6,6,BICUBIC"})
    void resizeMatchesLibtorchInterpolate(int ih, int iw, int oh, int ow, ResizeMode mode) {
        float[] x = random(rnd, 2 * 3 * ih * iw, 0, 1);
        Tensor input = Tensors.fromFloats(x, 2, 3, ih, iw);
        Tensor expected = mode == ResizeMode.BILINEAR
                ? torch.upsample_bilinear2d(input, new long[] {oh, ow}, false)
                : torch.upsample_bicubic2d(input, new long[] {oh, ow}, false);
        double[] ours = ReferenceKernels.resize(toDoubles(x), 2, 3, ih, iw, oh, ow, mode);
        double err = ReferenceKernels.maxRelativeError(Tensors.toDoubles(expected), ours);
        assertTrue(err < 1e-6, "reference " + mode + " vs libtorch: max rel err " + err);
    }

    @ParameterizedTest(name = "{0}x{1} <- {2}x{3}")
    @CsvSource({"7,7,112,112", "1,1,5,5", "5,6,9,8", "6,6,6,6", "14,14,28,28"})
    void adjointSatisfiesTheTransposeIdentity(int sh, int sw, int mh, int mw) {
        // <U x, y> = <x, Ut y> for random x (small) and y (large)
        double[] x = toDoubles(random(rnd, sh * sw, 0, 1));
        double[] y = toDoubles(random(rnd, mh * mw, 0, 1));
        double lhs = dot(ReferenceKernels.resize(x, 1, 1, sh, sw, mh, mw, ResizeMode.BILINEAR), y);
        double rhs = dot(x, ReferenceKernels.resizeAdjoint(y, 1, 1, mh, mw, null, sh, sw));
        assertEquals(lhs, rhs, 1e-12 * Math.max(1, Math.abs(lhs)));
    }

    @Test
    void adjointOfOnesIsTheWeightMapAndKeepsTheTotal() {
        // U(1) = 1, so w = Ut(1) sums to the number of large positions (mass is conserved).
        double[] ones = new double[112 * 112];
        Arrays.fill(ones, 1);
        double[] w = ReferenceKernels.resizeAdjoint(ones, 1, 1, 112, 112, null, 7, 7);
        double total = 0;
        for (double v : w) {
            total += v;
        }
        assertEquals(112.0 * 112, total, 1e-9);
        assertEquals(256.0, w[3 * 7 + 3], 1e-9, "an interior 7x7 cell covers 16x16 large pixels");
    }

    @Test
    void interpolationRowsSumToOne() {
        for (ResizeMode mode : ResizeMode.values()) {
            for (int[] sizes : new int[][] {{7, 112}, {112, 7}, {1, 4}, {5, 5}, {9, 4}}) {
                for (double[] row : ReferenceKernels.interpolationMatrix(sizes[0], sizes[1], mode)) {
                    assertEquals(1.0, Arrays.stream(row).sum(), 1e-12, mode + " " + sizes[0] + "->" + sizes[1]);
                }
            }
        }
    }

    @Test
    void mergeOfPartialMomentsEqualsOnePass() {
        double[] all = toDoubles(random(rnd, 5 * 3 * 4, 1e4, 1));
        double[] first = Arrays.copyOfRange(all, 0, 2 * 3 * 4);
        double[] rest = Arrays.copyOfRange(all, 2 * 3 * 4, all.length);
        var merged = ReferenceKernels.merge(ReferenceKernels.moments(first, 2, 3, 4),
                ReferenceKernels.moments(rest, 3, 3, 4));
        var onePass = ReferenceKernels.moments(all, 5, 3, 4);
        assertTrue(ReferenceKernels.maxRelativeError(merged.mean(), onePass.mean()) < 1e-14);
        assertTrue(ReferenceKernels.maxRelativeError(merged.m2(), onePass.m2()) < 1e-9);
        assertEquals(5.0 * 4, merged.count()[1], "5 images x 4 positions");
    }

    @Test
    void crossMomentOfShiftedDataIsTheCentredProductSum() {
        // Tiny hand case: one image, one channel each, two positions.
        double[] a = {1, 3};
        double[] b = {2, 6};
        double[] x = ReferenceKernels.crossMoment(a, new double[] {2}, 1, b, new double[] {4}, 1, 1, 2);
        assertEquals((1 - 2) * (2 - 4) + (3 - 2) * (6 - 4), x[0]);
    }

    @Test
    void relativeErrorFlagsNanMismatch() {
        assertTrue(Double.isNaN(ReferenceKernels.maxRelativeError(new double[] {Double.NaN}, new double[] {1})));
        assertEquals(0.5, ReferenceKernels.maxRelativeError(new double[] {1, 3}, new double[] {1, 2}));
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
