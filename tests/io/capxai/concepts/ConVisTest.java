package io.capxai.concepts;

import io.capxai.wordnet.Concept;
import io.capxai.wordnet.WordNet;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** ConVis on a hand-made case whose answer is known: a fake encoder that sees red as "sandal" and green as "dress". */
class ConVisTest {
    static final int R = 32;
    static final int[] RED = {4, 4, 12, 12};     // x0, y0, x1, y1
    static final int[] GREEN = {18, 20, 26, 28};
    static WordNet wn;
    static ConceptHierarchy t;
    static ConVis convis;
    static Tensor image;

    @BeforeAll
    static void setUp() {
        wn = WordNet.get();
        t = ConceptHierarchy.fromWords(wn, List.of("sandal", "dress", "dog"));
        ImageEncoder encoder = new ColourEncoder(R, t.size(), t.indexOf(wn.resolve("sandal")), t.indexOf(wn.resolve("dress")));
        ConceptEmbeddings identity = new ConceptEmbeddings(torch.eye(t.size()), ConceptText.GLOSS);
        convis = new ConVis(encoder, t, identity, new ConVis.Options(SweepGeometry.scaledTo(R), 128, 1));
        image = ColourEncoder.twoSquares(R, RED, GREEN);
    }

    @Test
    void mapsPointAtTheObjectOfTheConceptAndOfItsHypernym() {
        RankSweep sweep = convis.sweep(image);
        assertInside(sweep.map(wn.resolve("sandal")), RED, "sandal");
        assertInside(sweep.map(wn.resolve("footwear.n.02")), RED, "footwear (hypernym of sandal)");
        assertInside(sweep.map(wn.resolve("dress")), GREEN, "dress");
        float[] footwear = sweep.map(wn.resolve("footwear.n.02"));
        assertTrue(mean(footwear, RED) > 0.8 && mean(footwear, GREEN) < 0.3,
                "footwear covers the red item, not the green one: " + mean(footwear, RED) + " vs " + mean(footwear, GREEN));
    }

    @Test
    void oneSweepMapsEqualPerConceptMaps() {
        RankSweep sweep = convis.sweep(image);
        for (String name : List.of("sandal", "footwear.n.02", "dress", "clothing.n.01", "dog", "entity.n.01")) {
            Concept c = wn.resolve(name);
            assertArrayEquals(convis.gridMap(image, c), sweep.map(c), 1e-6f, name);
        }
    }

    @Test
    void sweepSurvivesSaveAndLoad(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        RankSweep sweep = convis.sweep(image);
        java.nio.file.Path file = dir.resolve("sweep.safetensors");
        sweep.save(file, java.util.Map.of("model", "fake"));
        RankSweep loaded = RankSweep.load(file, t);
        assertArrayEquals(sweep.map(wn.resolve("dress")), loaded.map(wn.resolve("dress")));
        assertThrows(IllegalArgumentException.class,
                () -> RankSweep.load(file, ConceptHierarchy.fromWords(wn, List.of("sandal"))));
    }

    @Test
    void stochasticMapFindsTheObjectToo() {
        float[] map = convis.stochasticMap(image, wn.resolve("sandal"), new ConVis.Stochastic(240, 0.002, 5, 80, 16));
        assertInside(map, RED, "stochastic sandal");
    }

    @Test
    void accumulatorEqualsBruteForceSums() {
        SweepGeometry g = new SweepGeometry(20, 6, new int[] {7, 3}, 2);
        SaliencyAccumulator acc = new SaliencyAccumulator(g);
        double[] naive = new double[20 * 20];
        Random rng = new Random(5);
        for (SweepGeometry.Box b : g.boxes()) {
            double v = rng.nextDouble();
            acc.add(b, v);
            for (int y = 0; y < 20; y++) {
                for (int x = 0; x < 20; x++) {
                    if (x + 6 >= b.x() && x + 6 < b.x() + b.size() && y + 6 >= b.y() && y + 6 < b.y() + b.size()) {
                        naive[y * 20 + x] += v;
                    }
                }
            }
        }
        assertArrayEquals(naive, acc.sums(), 1e-9);
    }

    @Test
    void geometryScalesWithResolutionAndCoversImagePixelsEvenly() {
        SweepGeometry paper = SweepGeometry.scaledTo(224);
        assertEquals(128, paper.border());
        assertArrayEquals(new int[] {128, 64}, paper.boxSizes());
        assertEquals(16, paper.stride());
        assertEquals(480, paper.canvasSize());
        SweepGeometry small = SweepGeometry.scaledTo(112);
        assertEquals(64, small.border());
        assertArrayEquals(new int[] {64, 32}, small.boxSizes());
        assertEquals(8, small.stride());
        // with a border and a stride dividing it, every image pixel lies under the same number of boxes
        SaliencyAccumulator ones = new SaliencyAccumulator(paper);
        paper.boxes().forEach(b -> ones.add(b, 1));
        double[] counts = ones.sums();
        assertEquals(counts[0], counts[224 * 112 + 100]);
        assertEquals(counts[0], counts[224 * 224 - 1]);
    }

    @Test
    void badImagesAreClearErrors() {
        Concept sandal = wn.resolve("sandal");
        assertThrows(IllegalArgumentException.class, () -> convis.gridMap(torch.zeros(1, 3, 16, 16), sandal));
        Tensor nan = image.clone();
        nan.fill_(new org.bytedeco.pytorch.Scalar(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> convis.sweep(nan));
        assertThrows(IllegalArgumentException.class, () -> convis.gridMap(image, wn.resolve("cat")));
    }

    static void assertInside(float[] map, int[] box, String what) {
        int best = 0;
        for (int i = 1; i < map.length; i++) {
            if (map[i] > map[best]) best = i;
        }
        int x = best % R, y = best / R;
        assertTrue(x >= box[0] && x < box[2] && y >= box[1] && y < box[3],
                what + ": map peaks at (" + x + ", " + y + "), outside the box " + java.util.Arrays.toString(box));
    }

    static double mean(float[] map, int[] box) {
        double s = 0;
        int n = 0;
        for (int y = box[1]; y < box[3]; y++) {
            for (int x = box[0]; x < box[2]; x++) {
                s += map[y * R + x];
                n++;
            }
        }
        return s / n;
    }
}
