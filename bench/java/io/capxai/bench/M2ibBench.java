package io.capxai.bench;

import io.capxai.attribution.ClipScorer;
import io.capxai.attribution.M2ib;
import io.capxai.attribution.M2ibOptions;
import io.capxai.models.ClipModel;
import io.capxai.models.RandomWeights;
import io.capxai.models.text.ClipTokenizer;
import org.bytedeco.javacpp.PointerScope;
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
 * Seconds per M2IB explanation (image map and text map, default settings: 10 noise samples in one
 * batch, 10 Adam steps) on CPU with random weights of the real sizes: CLIP ViT-B/32 (cut at block
 * 9) and RN50 (cut at layer3). {@code mode=cached} is the engine (blocks before the cut and the
 * other tower run once); {@code mode=recompute} runs the whole tower on the noise batch at every
 * step, as the reference code's forward hook does. Run:
 * <pre>
 *   ./mvnw -Pbench -DskipTests package
 *   java -jar target/benchmarks.jar M2ib                 # add -p part=image for the image map alone
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class M2ibBench {
    static {
        io.capxai.tensors.Libtorch.configure(); // before libtorch loads
    }

    private static final String CAPTION = "a photo of a dog on a red sofa.";

    @Param({"vit-b32", "rn50"})
    public String tower;

    @Param({"cached", "recompute"})
    public String mode;

    /** "both" maps (one explanation) or the "image" map alone (where the cut saves most). */
    @Param({"both"})
    public String part;

    /** Intra-op threads (set explicitly so runs compare). */
    @Param({"2"})
    public int threads;

    private M2ib m2ib;
    private Tensor image;
    private Tensor tokens;

    @Setup(Level.Trial)
    public void setup() {
        torch.set_num_threads(threads);
        ClipModel clip = ClipModel.fromStateDict(switch (tower) {
            case "vit-b32" -> RandomWeights.clipViT(768, 12, 32, 224, 512, 512, 12, ClipTokenizer.VOCAB_SIZE, 1);
            case "rn50" -> RandomWeights.clipResNet(new int[] {3, 4, 6, 3}, 64, 224, 1024, 512, 12, ClipTokenizer.VOCAB_SIZE, 1);
            default -> throw new IllegalArgumentException(tower);
        });
        M2ib engine = new M2ib(new ClipScorer(clip, ClipTokenizer.load(), "random " + tower), M2ibOptions.DEFAULTS);
        m2ib = mode.equals("cached") ? engine : engine.recomputingWholeTower();
        torch.manual_seed(2);
        image = torch.randn(1, 3, 224, 224);
        tokens = new ClipScorer(clip, ClipTokenizer.load(), tower).tokens(CAPTION, image);
    }

    @Benchmark
    public float explain() {
        try (PointerScope _ = new PointerScope()) {
            return part.equals("image") ? m2ib.imageMap(image, tokens)[0] : m2ib.explain(image, CAPTION).image()[0];
        }
    }
}
