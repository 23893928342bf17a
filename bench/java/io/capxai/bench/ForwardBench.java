package io.capxai.bench;

import io.capxai.models.ClipModel;
import io.capxai.models.ImageModel;
import io.capxai.models.RandomWeights;
import io.capxai.models.ResNet;
import io.capxai.taps.TapSet;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
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
 * Forward throughput on CPU at 224x224, random weights: torchvision ResNet-50 and the CLIP RN50 image
 * tower, batch 1 and 32. Images/s = batch / (seconds per op). The PyTorch side is
 * bench/python/forward_bench.py. Run:
 * <pre>
 *   ./mvnw -Pbench -DskipTests package
 *   java --enable-native-access=ALL-UNNAMED -cp target/classes:$(cat target/classpath.txt) org.openjdk.jmh.Main ForwardBench
 * </pre>
 * With {@code -p taps=default} the standalone model also captures its 49 default taps (what an audit pays).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
public class ForwardBench {
    static {
        io.capxai.tensors.Libtorch.configure(); // before libtorch loads
    }

    @Param({"resnet50", "clip-rn50"})
    public String model;

    @Param({"1", "32"})
    public int batch;

    @Param({"none"})
    public String taps;

    /** Intra-op threads, set explicitly on both sides (Debian's PyTorch defaults to 1). */
    @Param({"2"})
    public int threads;

    private ImageModel net;
    private Tensor images;

    @Setup(Level.Trial)
    public void setup() {
        torch.set_num_threads(threads);
        net = switch (model) {
            case "resnet50" -> ResNet.fromStateDict(RandomWeights.resnet50(1000, 1));
            case "clip-rn50" -> ClipModel.fromStateDict(RandomWeights.clipResNet(new int[] {3, 4, 6, 3}, 64, 224, 1024,
                    512, 1, 49408, 1)).visual();
            default -> throw new IllegalArgumentException(model);
        };
        images = torch.randn(batch, 3, 224, 224);
    }

    @Benchmark
    public double forward() {
        try (PointerScope _ = new PointerScope(); NoGradGuard _ = new NoGradGuard()) {
            TapSet tapSet = taps.equals("default") ? TapSet.capturing(net.defaultTaps()) : TapSet.none();
            return net.forward(images, tapSet).sum().item_double();
        }
    }
}
