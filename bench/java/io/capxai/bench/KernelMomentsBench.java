package io.capxai.bench;

import io.capxai.bench.KernelBenchSupport.Tap;
import io.capxai.kernels.ChannelMoments;
import io.capxai.kernels.KernelBackend;
import io.capxai.kernels.Kernels;
import org.bytedeco.pytorch.T_TensorTensor_T;
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
 * Per-channel moments of one batch of ResNet-50 taps (batch 25 at 224x224), in bytes of
 * activations read per second (the "bytes" counter, reported as a rate):
 * <ul>
 *   <li>{@code kernel}: capxai_moments_update (one streaming pass, float64 Chan merge);</li>
 *   <li>{@code libtorchVarMean}: what the reference code does per batch, var_mean over (n, h, w);</li>
 *   <li>{@code copyBandwidth}: a plain tensor copy_ of the same bytes, the memory-bandwidth
 *       ceiling (it also writes them, so its true traffic is twice the counter).</li>
 * </ul>
 * Run: {@code java -jar target/benchmarks.jar KernelMomentsBench -p tap=1280@56}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class KernelMomentsBench {
    @Param({"9472@14", "3200@28", "1280@56", "8704@7"})
    public String tap;

    @Param("25")
    public long batch;

    private KernelBackend kernels;
    private Tensor x;
    private Tensor copyTarget;
    private ChannelMoments moments;
    private long bytes;

    /** Bytes of activations processed, reported by JMH as bytes per second. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Traffic {
        public long bytes;
    }

    @Setup(Level.Trial)
    public void setUp() {
        kernels = Kernels.cpu();
        Tap t = Tap.parse(tap);
        x = KernelBenchSupport.activations(batch, t);
        copyTarget = torch.empty_like(x);
        moments = kernels.newMoments(t.channels());
        bytes = x.nbytes();
    }

    @Benchmark
    public ChannelMoments kernel(Traffic traffic) {
        traffic.bytes += bytes;
        return moments.update(x);
    }

    @Benchmark
    public T_TensorTensor_T libtorchVarMean(Traffic traffic) {
        traffic.bytes += bytes;
        return torch.var_mean(x, new long[] {0, 2, 3}, false);
    }

    @Benchmark
    public Tensor copyBandwidth(Traffic traffic) {
        traffic.bytes += bytes;
        return copyTarget.copy_(x);
    }
}
