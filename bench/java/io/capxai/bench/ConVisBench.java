package io.capxai.bench;

import io.capxai.concepts.ConVis;
import io.capxai.concepts.ConceptEmbeddings;
import io.capxai.concepts.ConceptHierarchy;
import io.capxai.concepts.ConceptText;
import io.capxai.concepts.ImageEncoder;
import io.capxai.concepts.RankSweep;
import io.capxai.models.ClipModel;
import io.capxai.models.RandomWeights;
import io.capxai.wordnet.Concept;
import io.capxai.wordnet.WordNet;
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
 * ConVis cost on CPU: one sweep (every box encoded, all synsets ranked), one grid map of a single
 * concept (the same encoding), and one further concept after a sweep (a max over its subtree).
 * Random weights (the cost does not depend on them) and random synset embeddings over the default
 * hierarchy. Run:
 * <pre>
 *   ./mvnw -Pbench -DskipTests package
 *   java --enable-native-access=ALL-UNNAMED -cp target/classes:$(cat target/classpath.txt) org.openjdk.jmh.Main ConVisBench
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
public class ConVisBench {
    static {
        io.capxai.tensors.Libtorch.configure(); // before libtorch loads
    }

    /** clip-rn50: RN50 image tower at 224 (730 boxes); tiny: a small tower at 64 (689 boxes). */
    @Param({"tiny", "clip-rn50"})
    public String model;

    @Param({"2"})
    public int threads;

    private ConVis convis;
    private Tensor image;
    private RankSweep sweep;
    private Concept footwear;

    @Setup(Level.Trial)
    public void setup() {
        torch.set_num_threads(threads);
        ClipModel clip = switch (model) {
            case "tiny" -> ClipModel.fromStateDict(RandomWeights.clipResNet(new int[] {1, 1, 1, 1}, 16, 64, 32, 64, 1, 49408, 1));
            case "clip-rn50" -> ClipModel.fromStateDict(RandomWeights.clipResNet(new int[] {3, 4, 6, 3}, 64, 224, 1024, 512, 1, 49408, 1));
            default -> throw new IllegalArgumentException(model);
        };
        WordNet wn = WordNet.get();
        ConceptHierarchy t = ConceptHierarchy.defaultHierarchy(wn);
        ConceptEmbeddings embeddings = new ConceptEmbeddings(torch.randn(t.size(), clip.config().embedDim()), ConceptText.GLOSS);
        int r = Math.toIntExact(clip.config().imageResolution());
        convis = new ConVis(ImageEncoder.of(clip), t, embeddings, ConVis.Options.defaults(r));
        image = torch.randn(1, 3, r, r);
        footwear = wn.resolve("footwear.n.02");
        sweep = convis.sweep(image);
    }

    @Benchmark
    public RankSweep sweepAllConcepts() {
        return convis.sweep(image);
    }

    @Benchmark
    public float[] gridMapOneConcept() {
        return convis.gridMap(image, footwear);
    }

    @Benchmark
    public float[] furtherConceptAfterSweep() {
        return sweep.map(footwear);
    }
}
