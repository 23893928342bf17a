package io.capxai.bench;

import io.capxai.bench.KernelBenchSupport.Tap;
import io.capxai.kernels.KernelBackend;
import io.capxai.kernels.Kernels;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The matching score's cross-moment (docs/method.md#matching-in-one-pass) for one batch of a standalone tap against a
 * CLIP stage, in useful floating-point operations per second (the "flops" counter,
 * 2 * n * ca * cb * s * s with s the smaller map's side, the same for all three):
 * <ul>
 *   <li>{@code kernel}: resize_adjoint of the larger map (when sizes differ), then
 *       cross_moment at the small resolution, shifted by the channel means, float64 X;</li>
 *   <li>{@code libtorchReference}: the reference code's way: upsample the smaller map to the
 *       larger size, standardise both, matmul at the large resolution;</li>
 *   <li>{@code libtorchRoofline}: one float32 matmul of already channel-major low-resolution
 *       matrices, the speed limit of the kernel's GEMM.</li>
 * </ul>
 * Pair syntax "CA@SA:CB@SB". Run: {@code java -jar target/benchmarks.jar KernelCrossMomentBench -p pair=3200@28:512@28}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class KernelCrossMomentBench {
    /** ResNet-50 taps vs CLIP RN50 stages at equal size, and one mixed-size pair where the adjoint pays. */
    @Param({"9472@14:1024@14", "3200@28:512@28", "1280@56:256@56", "8704@7:2048@7", "1280@56:1024@14"})
    public String pair;

    @Param("25")
    public long batch;

    private static final double EPS = 1e-5;

    private KernelBackend kernels;
    private Tap tapA;
    private Tap tapB;
    private Tensor a;
    private Tensor b;
    private Tensor meanA;
    private Tensor meanB;
    private Tensor stdA;
    private Tensor stdB;
    private Tensor lowA;
    private Tensor lowB;
    private Tensor x;
    private long flops;

    /** Useful floating-point operations, reported by JMH as FLOP per second. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Work {
        public long flops;
    }

    @Setup(Level.Trial)
    public void setUp() {
        kernels = Kernels.cpu();
        String[] taps = pair.split(":");
        tapA = Tap.parse(taps[0]);
        tapB = Tap.parse(taps[1]);
        a = KernelBenchSupport.activations(batch, tapA).add(new Scalar(3.0));
        b = KernelBenchSupport.activations(batch, tapB).add(new Scalar(-1.0));
        meanA = a.mean(0, 2, 3);
        meanB = b.mean(0, 2, 3);
        stdA = torch.std(a, new long[] {0, 2, 3}, false);
        stdB = torch.std(b, new long[] {0, 2, 3}, false);
        long small = Math.min(tapA.size(), tapB.size());
        lowA = torch.randn(new long[] {tapA.channels(), batch * small * small}, KernelBenchSupport.floats());
        lowB = torch.randn(new long[] {tapB.channels(), batch * small * small}, KernelBenchSupport.floats());
        x = kernels.zeros(true, tapA.channels(), tapB.channels());
        flops = 2 * batch * tapA.channels() * tapB.channels() * small * small;
    }

    @Benchmark
    public Tensor kernel(Work work) {
        work.flops += flops;
        if (tapA.size() == tapB.size()) {
            kernels.crossMoment(a, meanA, b, meanB, x);
        } else if (tapA.size() > tapB.size()) {
            Tensor adjA = kernels.resizeAdjoint(a, meanA, tapB.size(), tapB.size());
            kernels.crossMoment(adjA, null, b, meanB, x);
        } else {
            Tensor adjB = kernels.resizeAdjoint(b, meanB, tapA.size(), tapA.size());
            kernels.crossMoment(a, meanA, adjB, null, x);
        }
        return x;
    }

    @Benchmark
    public Tensor libtorchReference(Work work) {
        work.flops += flops;
        long m = Math.max(tapA.size(), tapB.size());
        Tensor za = channelMajor(standardise(upsample(a, m), meanA, stdA));
        Tensor zb = channelMajor(standardise(upsample(b, m), meanB, stdB));
        return torch.mm(za, zb.t());
    }

    @Benchmark
    public Tensor libtorchRoofline(Work work) {
        work.flops += flops;
        return torch.mm(lowA, lowB.t());
    }

    private static Tensor upsample(Tensor t, long size) {
        return t.size(2) == size ? t : torch.upsample_bilinear2d(t, new long[] {size, size}, false);
    }

    private static Tensor standardise(Tensor t, Tensor mean, Tensor std) {
        long c = t.size(1);
        return t.sub(mean.view(1, c, 1, 1)).div(std.add(new Scalar(EPS)).view(1, c, 1, 1));
    }

    /** [n, c, h, w] -> [c, n * h * w], a copy, as the reference's einsum over images and positions. */
    private static Tensor channelMajor(Tensor t) {
        return t.transpose(0, 1).reshape(t.size(1), -1);
    }
}
