package io.capxai.kernels;

import io.capxai.tensors.Tensors;
import io.capxai.testing.Seed;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static io.capxai.kernels.KernelSelfTest.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link KernelBackend} must do; {@link CpuKernelsTest} and {@link CudaKernelsTest}
 * run it on their backend. Inputs are fresh random values with odd shapes; results are
 * compared with {@link ReferenceKernels} (float64) and with libtorch.
 */
abstract class KernelBackendContract {
    /** The backend under test. */
    abstract KernelBackend backend();

    /** A device this backend must refuse. */
    abstract Device foreignDevice();

    @RegisterExtension
    final Seed seed = Seed.fresh();
    private final Random rnd = seed.random();

    // --- each kernel against the float64 reference ----------------------------------------

    @Test
    void momentsMatchTheReference() {
        var k = backend();
        check(List.of(
                KernelSelfTest.moments(k, rnd, 3, 5, 7, 7, 0, 1),
                KernelSelfTest.moments(k, rnd, 1, 1, 1, 1, 0, 1),
                KernelSelfTest.moments(k, rnd, 3, 4, 14, 14, 1e4, 1),
                KernelSelfTest.moments(k, rnd, 1, 3, 112, 112, 1e4, 1)));
    }

    @Test
    void mergedPartialMomentsEqualOnePass() {
        var k = backend();
        check(List.of(KernelSelfTest.momentsMerge(k, rnd, 6, 3, 5, 1e4, 1),
                KernelSelfTest.momentsMerge(k, rnd, 3, 1, 1, 0, 1)));
    }

    @Test
    void resizeAdjointMatchesTheReference() {
        var k = backend();
        check(List.of(
                KernelSelfTest.resizeAdjoint(k, rnd, 1, 2, 7, 7, 112, 112, true),
                KernelSelfTest.resizeAdjoint(k, rnd, 3, 1, 1, 1, 5, 5, false),
                KernelSelfTest.resizeAdjoint(k, rnd, 2, 3, 5, 6, 9, 8, true),
                KernelSelfTest.resizeAdjoint(k, rnd, 1, 2, 6, 6, 6, 6, false)));
    }

    @Test
    void resizeMatchesTheReference() {
        var k = backend();
        for (ResizeMode mode : ResizeMode.values()) {
            check(List.of(
                    KernelSelfTest.resize(k, rnd, 1, 2, 7, 7, 112, 112, mode),
                    KernelSelfTest.resize(k, rnd, 3, 1, 28, 28, 7, 7, mode),
                    KernelSelfTest.resize(k, rnd, 1, 1, 1, 1, 3, 3, mode),
                    KernelSelfTest.resize(k, rnd, 2, 3, 5, 9, 8, 4, mode)));
        }
    }

    @Test
    void weightedSumMatchesTheReference() {
        var k = backend();
        check(List.of(
                KernelSelfTest.weightedSum(k, rnd, 3, 4, 7, 7, 1e4, true, true),
                KernelSelfTest.weightedSum(k, rnd, 1, 1, 1, 1, 0, false, false),
                KernelSelfTest.weightedSum(k, rnd, 3, 2, 23, 23, 0, false, true)));
    }

    @Test
    void crossMomentMatchesTheReference() {
        var k = backend();
        check(List.of(
                KernelSelfTest.crossMoment(k, rnd, 3, 5, 7, 7, 7, 0, false),
                KernelSelfTest.crossMoment(k, rnd, 3, 4, 3, 14, 14, 1e4, true),
                KernelSelfTest.crossMoment(k, rnd, 1, 1, 1, 1, 1, 0, true),
                KernelSelfTest.crossMoment(k, rnd, 2, 3, 2, 23, 23, 0, true)));
    }

    @Test
    void surgeryApplyMatchesTheReference() {
        var k = backend();
        for (ResizeMode mode : ResizeMode.values()) {
            check(List.of(
                    KernelSelfTest.surgeryApply(k, rnd, 3, 6, 14, 14, 4, 7, 7, mode),
                    KernelSelfTest.surgeryApply(k, rnd, 1, 3, 7, 7, 5, 112, 112, mode),
                    KernelSelfTest.surgeryApply(k, rnd, 2, 1, 5, 5, 2, 5, 5, mode)));
        }
    }

    // --- against libtorch and the algebra ------------------------------------------------

    @Test
    void resizeMatchesLibtorchInterpolate() {
        var k = backend();
        for (ResizeMode mode : ResizeMode.values()) {
            for (int[] s : new int[][] {{7, 7, 112, 112}, {112, 112, 7, 7}, {1, 1, 4, 4}, {5, 9, 8, 3}}) {
                Tensor x = tensor(random(rnd, 3 * 2 * s[0] * s[1], 0, 1), 3, 2, s[0], s[1]);
                Tensor ours = k.resize(x, s[2], s[3], mode);
                long[] size = {s[2], s[3]};
                Tensor theirs = mode == ResizeMode.BILINEAR ? torch.upsample_bilinear2d(x, size, false)
                        : torch.upsample_bicubic2d(x, size, false);
                double err = ReferenceKernels.maxRelativeError(Tensors.toDoubles(ours), Tensors.toDoubles(theirs));
                System.out.printf("%s resize %s %dx%d -> %dx%d vs libtorch: max rel err %.2e%n", k.name(), mode,
                        s[0], s[1], s[2], s[3], err);
                assertTrue(err < 1e-5, mode + " vs libtorch: " + err);
            }
        }
    }

    @Test
    void adjointIsTheTransposeOfUpsampling() {
        // <U x, y> = <x, Ut y>, both sides computed by the kernels.
        var k = backend();
        for (int[] s : new int[][] {{7, 7, 112, 112}, {14, 14, 28, 28}, {1, 1, 3, 3}, {5, 6, 9, 8}}) {
            Tensor x = tensor(random(rnd, 2 * 3 * s[0] * s[1], 0, 1), 2, 3, s[0], s[1]);
            Tensor y = tensor(random(rnd, 2 * 3 * s[2] * s[3], 0, 1), 2, 3, s[2], s[3]);
            double lhs = torch.sum(k.resize(x, s[2], s[3], ResizeMode.BILINEAR).to(ScalarType.Double)
                    .mul(y.to(ScalarType.Double))).item_double();
            double rhs = torch.sum(x.to(ScalarType.Double)
                    .mul(k.resizeAdjoint(y, null, s[0], s[1]).to(ScalarType.Double))).item_double();
            double scale = torch.sum(torch.abs(y)).item_double();
            assertEquals(lhs, rhs, 1e-5 * scale, "transpose identity at " + Arrays.toString(s));
        }
    }

    @Test
    void adjointOfOnesConservesMass() {
        // U(1) = 1, so w = Ut(1) sums to the number of large positions.
        var k = backend();
        Tensor ones = torch.ones(new long[] {1, 1, 112, 112}, options(ScalarType.Float));
        Tensor w = k.resizeAdjoint(ones, null, 7, 7);
        assertEquals(112.0 * 112, torch.sum(w.to(ScalarType.Double)).item_double(), 1e-2);
    }

    @Test
    void weightMapIsTheAdjointOfOnesAndFeedsWeightedSum() {
        var k = backend();
        Tensor w = k.weightMap(7, 7, 112, 112);
        assertArrayEquals(new long[] {7, 7}, Tensors.shape(w));
        double[] ones = new double[112 * 112];
        Arrays.fill(ones, 1);
        double[] expected = ReferenceKernels.resizeAdjoint(ones, 1, 1, 112, 112, null, 7, 7);
        assertTrue(ReferenceKernels.maxRelativeError(Tensors.toDoubles(w), expected) < 1e-6);
        // S_a = sum a * w equals sum U(a): the small map's total after upsampling.
        float[] values = random(rnd, 2 * 3 * 49, 0, 1);
        Tensor acc = k.zeros(true, 3);
        k.weightedSum(tensor(values, 2, 3, 7, 7), null, w, acc);
        double[] up = ReferenceKernels.resize(KernelSelfTest.toDoubles(values), 2, 3, 7, 7, 112, 112,
                ResizeMode.BILINEAR);
        double[] perChannel = new double[3];
        for (int i = 0; i < up.length; i++) {
            perChannel[(i / (112 * 112)) % 3] += up[i];
        }
        assertTrue(ReferenceKernels.maxRelativeError(Tensors.toDoubles(acc), perChannel) < 1e-5,
                Arrays.toString(Tensors.toDoubles(acc)) + " vs " + Arrays.toString(perChannel));
    }

    // --- NaN policy ----------------------------------------------------------------------

    @Test
    void momentsRejectNonFiniteBatchesAndKeepTheirState() {
        var k = backend();
        ChannelMoments m = k.newMoments(4).update(tensor(random(rnd, 2 * 4 * 9, 0, 1), 2, 4, 9));
        double[][] before = m.toArrays();
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
            float[] values = random(rnd, 2 * 4 * 9, 0, 1);
            values[(1 * 4 + 2) * 9 + 5] = bad; // image 1, channel 2
            KernelException e = assertThrows(KernelException.class, () -> m.update(tensor(values, 2, 4, 9)));
            assertEquals(KernelException.NONFINITE, e.status(), e.getMessage());
            assertTrue(e.getMessage().contains("2"), "message should name channel 2: " + e.getMessage());
            for (int a = 0; a < 3; a++) {
                assertArrayEquals(before[a], m.toArrays()[a], "accumulators must be untouched after " + bad);
            }
        }
    }

    @Test
    void otherKernelsPropagateNan() {
        var k = backend();
        float[] values = random(rnd, 1 * 2 * 7 * 7, 0, 1);
        values[7 * 7 + 3 * 7 + 3] = Float.NaN; // channel 1, centre
        Tensor x = tensor(values, 1, 2, 7, 7);
        double[] up = Tensors.toDoubles(k.resize(x, 14, 14, ResizeMode.BILINEAR));
        assertTrue(Double.isNaN(up[14 * 14 + 7 * 14 + 7]), "NaN must reach the upsampled centre");
        assertFalse(Double.isNaN(up[0]), "channel 0 has no NaN");
        Tensor out = k.zeros(true, 2, 2);
        k.crossMoment(x, null, x, null, out);
        double[] cross = Tensors.toDoubles(out);
        assertTrue(Double.isNaN(cross[3]) && !Double.isNaN(cross[0]), Arrays.toString(cross));
    }

    // --- zero copy -----------------------------------------------------------------------

    @Test
    void surgeryWritesIntoTheTensorsOwnMemory() {
        var k = backend();
        Tensor src = tensor(random(rnd, 2 * 3 * 7 * 7, 5, 2), 2, 3, 7, 7);
        Tensor dst = tensor(random(rnd, 2 * 4 * 14 * 14, 0, 1), 2, 4, 14, 14);
        Tensor channel2 = dst.narrow(1, 2, 1);          // a libtorch view sharing dst's storage
        Tensor untouched = dst.narrow(1, 0, 1).clone();
        long address = dst.data_ptr().address();
        Tensor srcMean = tensor(new float[] {5, 5, 5}, 3);
        Tensor srcStd = tensor(new float[] {2, 1, 4}, 3);
        Tensor dstMean = tensor(new float[] {0, 0, 10, 0}, 4);
        Tensor dstStd = tensor(new float[] {1, 1, 3, 1}, 4);
        k.surgeryApply(src, srcMean, srcStd, dst, dstMean, dstStd, ints(2), ints(1), ResizeMode.BILINEAR, 0f);

        assertEquals(address, dst.data_ptr().address(), "dst must not be reallocated");
        // Expected, computed by libtorch: upsample((src[:, 1] - 5) / 1) * 3 + 10, seen through the view.
        Tensor z = src.narrow(1, 1, 1).sub(torch.full(new long[] {1}, new Scalar(5.0),
                options(ScalarType.Float)));
        Tensor expected = torch.upsample_bilinear2d(z, new long[] {14, 14}, false).mul(
                new Scalar(3.0)).add(new Scalar(10.0));
        double err = ReferenceKernels.maxRelativeError(Tensors.toDoubles(channel2), Tensors.toDoubles(expected));
        assertTrue(err < 1e-5, "the view of channel 2 must show the grafted map: " + err);
        assertArrayEquals(Tensors.toDoubles(untouched), Tensors.toDoubles(dst.narrow(1, 0, 1)), 0.0,
                "channels not in the plan stay as they were");
    }

    @Test
    void accumulatorsAreUpdatedInPlace() {
        var k = backend();
        Tensor acc = k.zeros(true, 2);
        Tensor alias = acc.view(new long[] {1, 2}); // shares storage with acc
        k.weightedSum(tensor(new float[] {1, 2, 3, 4}, 1, 2, 2), null, null, acc);
        assertArrayEquals(new double[] {3, 7}, Tensors.toDoubles(alias), 1e-12);
        k.weightedSum(tensor(new float[] {1, 2, 3, 4}, 1, 2, 2), null, null, acc);
        assertArrayEquals(new double[] {6, 14}, Tensors.toDoubles(alias), 1e-12, "+= across calls");
    }

    // --- bad arguments throw, never crash ------------------------------------------------

    @Test
    void wrongDtypeIsRejected() {
        var k = backend();
        Tensor x64 = tensor(random(rnd, 8, 0, 1), 1, 2, 4).to(ScalarType.Double);
        rejects("x", "float32", () -> k.newMoments(2).update(x64));
        Tensor acc32 = k.zeros(false, 2);
        rejects("acc", "float64", () -> k.weightedSum(tensor(random(rnd, 8, 0, 1), 1, 2, 4), null, null, acc32));
        Tensor longIdx = Tensors.fromLongs(new long[] {0}, 1);
        rejects("dstChannel", "int32", () -> surgery(k, longIdx, ints(0)));
    }

    @Test
    void wrongDeviceIsRejected() {
        var k = backend();
        Tensor foreign = torch.zeros(new long[] {1, 2, 4}, new TensorOptions(foreignDevice())
                .dtype(new ScalarTypeOptional(ScalarType.Float)));
        rejects("x", "a tensor on", () -> k.newMoments(2).update(foreign));
    }

    @Test
    void nonContiguousIsRejected() {
        var k = backend();
        Tensor x = tensor(random(rnd, 2 * 3 * 4 * 5, 0, 1), 2, 3, 4, 5).transpose(2, 3);
        rejects("x", "contiguous", () -> k.resize(x, 8, 8, ResizeMode.BILINEAR));
    }

    @Test
    void mismatchedShapesAreRejected() {
        var k = backend();
        Tensor a = tensor(random(rnd, 2 * 3 * 9, 0, 1), 2, 3, 9);
        Tensor b = tensor(random(rnd, 3 * 4 * 9, 0, 1), 3, 4, 9);
        rejects("b", "2 images", () -> k.crossMoment(a, null, b, null, k.zeros(true, 3, 4)));
        Tensor bLarge = tensor(random(rnd, 2 * 4 * 16, 0, 1), 2, 4, 16);
        rejects("b", "9 positions", () -> k.crossMoment(a, null, bLarge, null, k.zeros(true, 3, 4)));
        rejects("out", "shape [3, 3]", () -> k.crossMoment(a, null, a, null, k.zeros(true, 3, 4)));
        rejects("shiftA", "shape [3]", () -> k.crossMoment(a, tensor(new float[] {1, 2}, 2), a, null,
                k.zeros(true, 3, 3)));
        Tensor small = tensor(random(rnd, 1 * 1 * 4 * 4, 0, 1), 1, 1, 4, 4);
        rejects("out", "no larger", () -> k.resizeAdjoint(small, null, 8, 8));
        rejects("mean", "shape [3]", () -> k.momentsUpdate(a, k.zeros(true, 3), k.zeros(true, 2), k.zeros(true, 3)));
        rejects("x", "rank", () -> k.resize(a, 4, 4, ResizeMode.BILINEAR));
        rejects("x", "non-empty", () -> k.newMoments(3).update(tensor(new float[0], 0, 3, 4)));
    }

    @Test
    void outOfRangeOrDuplicateChannelsAreRejected() {
        var k = backend();
        rejects("dstChannel[0]", "[0, 3)", () -> surgery(k, ints(3), ints(0)));
        rejects("srcChannel[1]", "[0, 2)", () -> surgery(k, ints(0, 1), ints(0, -1)));
        rejects("dstChannel", "at most once", () -> surgery(k, ints(1, 1), ints(0, 1)));
        rejects("srcChannel", "shape [2]", () -> surgery(k, ints(0, 1), ints(0)));
    }

    @Test
    void nullsAreRejected() {
        var k = backend();
        rejects("x", "null", () -> k.newMoments(2).update(null));
        rejects("acc", "null", () -> k.weightedSum(tensor(random(rnd, 8, 0, 1), 1, 2, 4), null, null, null));
        rejects("srcMean", "null", () -> k.surgeryApply(tensor(new float[4], 1, 1, 2, 2), null, null,
                tensor(new float[4], 1, 1, 2, 2), null, null, ints(0), ints(0), ResizeMode.BILINEAR, 1e-5f));
        rejects("mode", "BILINEAR", () -> k.resize(tensor(new float[4], 1, 1, 2, 2), 3, 3, null));
    }

    // --- helpers -------------------------------------------------------------------------

    private static void check(List<KernelSelfTest.Result> results) {
        results.forEach(System.out::println);
        for (var r : results) {
            assertTrue(r.passed(), r.toString());
        }
    }

    /** A surgery call on valid data (src 2 channels, dst 3) with the given channel lists. */
    private void surgery(KernelBackend k, Tensor dstChannel, Tensor srcChannel) {
        k.surgeryApply(tensor(random(rnd, 2 * 4, 0, 1), 1, 2, 2, 2), tensor(new float[] {0, 0}, 2),
                tensor(new float[] {1, 1}, 2), tensor(new float[3 * 9], 1, 3, 3, 3), tensor(new float[3], 3),
                tensor(new float[] {1, 1, 1}, 3), dstChannel, srcChannel, ResizeMode.BILINEAR, 1e-5f);
    }

    private static void rejects(String argument, String expectation, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(argument) && e.getMessage().contains(expectation),
                "message should name " + argument + " and say '" + expectation + "': " + e.getMessage());
    }

    /** A float32 tensor on the backend's device. */
    Tensor tensor(float[] values, long... shape) {
        return KernelSelfTest.onDevice(backend(), values, shape);
    }

    /** An int32 index tensor on the backend's device. */
    Tensor ints(int... values) {
        Tensor t = Tensors.fromInts(values, values.length);
        return backend().device().is_cuda() ? t.to(backend().device(), ScalarType.Int) : t;
    }

    TensorOptions options(ScalarType type) {
        return new TensorOptions(backend().device()).dtype(new ScalarTypeOptional(type));
    }
}
