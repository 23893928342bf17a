package io.capxai.bench;

import io.capxai.audit.Audit;
import io.capxai.audit.ModelActivations;
import io.capxai.progress.ProgressListener;
import io.capxai.kernels.Backends;
import io.capxai.models.ClipModel;
import io.capxai.models.ImageModel;
import io.capxai.models.RandomWeights;
import io.capxai.models.ResNet;
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
 * The statistics-and-matching pass of an audit (both forward passes with the default taps, then
 * the score matrix), fused engine vs reference engine, ResNet-50 vs the CLIP RN50 architecture with
 * random weights. Seconds per pass over {@code images}; the paper-size run (2,000 images) is
 * {@code ./capxai bench audit}. Run:
 * <pre>
 *   ./mvnw -Pbench -DskipTests package && java -jar target/benchmarks.jar AuditBench
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 1)
@Measurement(iterations = 2)
public class AuditBench {
    static {
        io.capxai.tensors.Libtorch.configure(); // before libtorch loads
    }

    @Param({"fused", "reference"})
    public String engine;

    @Param({"25"})
    public int images;

    @Param({"224"})
    public int resolution;

    private ImageModel resnet;
    private ImageModel clip;
    private Tensor input;

    @Setup(Level.Trial)
    public void setup() {
        resnet = ResNet.fromStateDict(RandomWeights.resnet50(1000, 1));
        clip = ClipModel.fromStateDict(RandomWeights.clipResNet(new int[] {3, 4, 6, 3}, 64, resolution, 1024, 512, 1, 49408, 2))
                .visual();
        torch.manual_seed(3);
        input = torch.randn(images, 3, resolution, resolution);
    }

    @Benchmark
    public float matchingPass() {
        var source = ModelActivations.of(resnet, resnet.defaultTaps(), clip, clip.defaultTaps(), input, 25, ProgressListener.NONE);
        return Audit.match(source, Audit.Engine.valueOf(engine.toUpperCase()), Backends.SYSTEM).scores().values()[0];
    }
}
