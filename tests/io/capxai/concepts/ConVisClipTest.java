package io.capxai.concepts;

import io.capxai.attribution.AttributionMap;
import io.capxai.evaluation.ConVisAttribution;
import io.capxai.progress.ProgressListener;
import io.capxai.models.ClipModel;
import io.capxai.models.RandomWeights;
import io.capxai.models.text.ClipTokenizer;
import io.capxai.tensors.Tensors;
import io.capxai.wordnet.WordNet;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** ConVis end to end on a small random CLIP (real towers, real tokenizer, real WordNet glosses). */
class ConVisClipTest {
    static ClipModel clip;
    static ConVis convis;
    static ConceptHierarchy t;
    static WordNet wn;

    @BeforeAll
    static void setUp(@TempDir Path cache) {
        wn = WordNet.get();
        clip = ClipModel.fromStateDict(RandomWeights.clipResNet(new int[] {1, 1, 1, 1}, 16, 32, 32, 64, 1, 49408, 2));
        t = ConceptHierarchy.fromWords(wn, List.of("sandal", "dress"));
        ConVis.Options options = new ConVis.Options(new SweepGeometry(32, 16, new int[] {16, 8}, 8), 64, 3);
        convis = ConVis.forClip(clip, ClipTokenizer.load(), t, ConceptText.GLOSS, options, cache, ProgressListener.NONE);
    }

    @Test
    void embeddingsAreTheNormalisedGlossEncodings() {
        ClipTokenizer tok = ClipTokenizer.load();
        int i = t.indexOf(wn.resolve("sandal"));
        Tensor direct = clip.encodeText(tok.tokenize(List.of(t.concept(i).gloss()), 77, true));
        float[] d = Tensors.toFloats(torch.normalize(direct));
        float[] row = Tensors.toFloats(convis.embeddings().matrix().select(0, i));
        assertArrayEquals(d, row, 1e-5f);
    }

    @Test
    void attributionMapsAreImageSizedInUnitRangeAndReuseOneSweep() {
        torch.manual_seed(4);
        Tensor image = torch.randn(1, 3, 32, 32);
        ConVisAttribution attribution = new ConVisAttribution(convis, wn, "small random CLIP-style model");
        AttributionMap footwear = attribution.explain(image, "footwear.n.02");
        assertEquals(32, footwear.height());
        assertEquals(32, footwear.width());
        // a random CLIP barely tells boxes apart; the dress map of this seed does vary
        AttributionMap dress = attribution.explain(image, "dress");
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (float v : dress.image()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0f, min, 1e-6);
        assertEquals(1f, max, 1e-6);
        assertEquals("n03380867 footwear.n.02", footwear.options().get("concept"));
        assertEquals(String.valueOf(t.subtree(wn.resolve("footwear.n.02")).length), footwear.options().get("subtree_size"));
        RankSweep first = attribution.sweepOf(image);
        attribution.explain(image, "sandal");
        assertSame(first, attribution.sweepOf(image), "the same image must reuse its sweep");
        assertArrayEquals(convis.gridMap(image, wn.resolve("dress")), dress.image(), 1e-6f);
        assertNotSame(first, attribution.sweepOf(image.add(new org.bytedeco.pytorch.Scalar(0.1))));
    }

    @Test
    void oodScoresAreMaxCosinesOverTheLeaves() {
        torch.manual_seed(5);
        Tensor images = torch.randn(4, 3, 32, 32);
        Tensor emb = clip.encodeImage(images);
        double[] s = OodDetection.scores(emb, t, convis.embeddings(), wn.resolve("footwear.n.02"), OodDetection.Representatives.LEAVES);
        float[] cos = Tensors.toFloats(ConceptRanks.similarities(emb, convis.embeddings()));
        int[] leaves = t.leaves(wn.resolve("footwear.n.02"));
        assertTrue(leaves.length > 0);
        for (int n = 0; n < 4; n++) {
            double best = -2;
            for (int j : leaves) best = Math.max(best, cos[n * t.size() + j]);
            assertEquals(best, s[n], 1e-6);
        }
    }
}
