package io.capxai.audit;

import io.capxai.data.Batches;
import io.capxai.data.ClipPreprocess;
import io.capxai.data.ColoredMnist;
import io.capxai.models.ClipModel;
import io.capxai.models.RandomWeights;
import io.capxai.models.ResNet;
import io.capxai.probing.CaptionSet;
import org.bytedeco.pytorch.NoGradGuard;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The audit end to end on tiny random models and a few real colored-MNIST digits. */
class AuditTest {
    private static TinyAudit tiny;
    private static ColoredMnist.Splits splits;
    private static ResNet standalone;
    private static ClipModel clip;

    @BeforeAll
    static void setUp() {
        tiny = TinyAudit.of(4, 3, 2, 1);
        splits = tiny.splits();
        standalone = tiny.standalone();
        clip = tiny.clip();
    }

    private static Audit.Builder audit(int batchSize) {
        return tiny.builder().batchSize(batchSize).controls(0);
    }

    @Test
    void beforeRowsAreTheCleanEmbeddingOfTheSameImageWhateverTheBatching() {
        AuditResult result = audit(4).build().run();
        int n = splits.test().size();
        assertEquals(n, result.before().length);
        assertEquals(splits.train().size(), result.match().standalone().images(), "statistics come from the statistics split");

        // docs/method.md#defects-of-the-reference-code: "before" must be CLIP without edits, image by image, with no edit of an earlier batch active.
        CaptionProbe probe = new CaptionProbe(clip, io.capxai.models.text.ClipTokenizer.load(), CaptionSet.coloredMnist().texts());
        ClipPreprocess pre = ClipPreprocess.clip(32);
        try (NoGradGuard noGrad = new NoGradGuard()) {
            for (int i = 0; i < n; i++) {
                float[] clean = io.capxai.tensors.Tensors.toFloats(
                        probe.similarities(clip.encodeImage(Batches.batchOf(splits.test(), pre, new int[] {i}).images())));
                assertArrayEquals(clean, result.before()[i], 1e-5f, "before row " + i);
            }
        }
        float[][] all = result.after()[result.after().length - 1];
        double change = 0;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < all[i].length; c++) {
                change += Math.abs(all[i][c] - result.before()[i][c]);
            }
        }
        assertTrue(change > 1e-3, "surgery on all stages changes the similarities");

        AuditResult oneByOne = audit(1).build().run();
        for (int v = 0; v < result.after().length; v++) {
            for (int i = 0; i < n; i++) {
                assertArrayEquals(result.after()[v][i], oneByOne.after()[v][i], 1e-4f, "variant " + v + " image " + i);
            }
        }
        assertEquals(result.variants().size(), result.verdicts().size());
        assertEquals(n, result.headline().images());
        assertTrue(result.headline().answer().startsWith("dominant concept"), result.headline().answer());
    }

    @Test
    void fusedAndReferenceEnginesAgree() {
        float[] fused = audit(4).build().match().scores().values();
        float[] reference = audit(4).engine(Audit.Engine.REFERENCE).build().match().scores().values();
        double worst = 0;
        double largest = 0;
        for (int i = 0; i < fused.length; i++) {
            worst = Math.max(worst, Math.abs(fused[i] - reference[i]));
            largest = Math.max(largest, Math.abs(reference[i]));
        }
        assertTrue(worst <= 1e-4 * largest, "max difference " + worst + " of " + largest);
    }

    @Test
    void statisticsOnTheEvaluatedSplitAreRefusedUnlessAskedFor() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> audit(4).statistics(splits.test()).build());
        assertTrue(e.getMessage().contains("docs/method.md#defects-of-the-reference-code"), e.getMessage());
        AuditResult onPurpose = audit(4).statistics(splits.test()).allowStatisticsOnEvaluationSplit(true).build().run();
        assertEquals(splits.test().size(), onPurpose.match().clip().images());
    }

    @Test
    void controlsAreAuditedLikeTheModelAndSharedWithOtherModels() {
        Audit audit = audit(4).controls(2).controlSeed(11).build();
        AuditResult result = audit.run();
        assertEquals(2, result.controls().size());
        assertEquals(List.of(11L, 12L), result.controls().stream().map(c -> c.seed()).toList());
        assertEquals(result.variants().size(), result.information().size());
        assertEquals(result.variants().size(), result.controls().getFirst().information().size());
        assertEquals(2, result.verdict().controls());
        assertEquals(result.variants().getLast().name(), result.verdict().variant());
        for (var f : result.verdict().concepts()) {
            assertEquals(2, f.comparison().controls());
            var controlAfter = result.controls().stream()
                    .mapToDouble(c -> c.information().getLast().concept(f.concept()).after().value()).average().orElseThrow();
            assertEquals(controlAfter, f.comparison().controlMean(), 1e-12);
        }

        // another model of the same architecture: the same CLIP side and the same control runs, not recomputed
        ResNet other = ResNet.fromStateDict(RandomWeights.resnet(new int[] {1, 1, 1, 1}, false, 2, 99));
        AuditResult second = audit.forStandalone(other).run();
        assertTrue(second.before() == result.before(), "CLIP's before-surgery similarities computed once");
        assertTrue(second.controls().get(0) == result.controls().get(0), "control runs reused");
        assertEquals("ResNet-10", second.standaloneName());

        // a control of the standalone's architecture is that architecture with other weights
        ImageModelCheck.sameArchitecture(standalone, ControlModels.like(standalone).apply(11));
        assertThrows(IllegalArgumentException.class, () -> audit(4).controls(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> audit(4).standalone(clip.visual()).controls(2).build());
        assertTrue(e.getMessage().contains("control factory"), e.getMessage());
    }

    /** Architecture checks of control networks. */
    static final class ImageModelCheck {
        static void sameArchitecture(ResNet a, io.capxai.models.ImageModel b) {
            assertTrue(b instanceof ResNet, "a ResNet");
            assertEquals(a.name(), b.name());
            assertArrayEquals(a.blocksPerStage(), ((ResNet) b).blocksPerStage());
            assertEquals(a.state().parameterCount(), b.state().parameterCount());
        }
    }
}
