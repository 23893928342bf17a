package io.capxai.evaluation;

import io.capxai.attribution.Attribution;
import io.capxai.attribution.AttributionMap;
import io.capxai.progress.ProgressListener;
import io.capxai.data.Canvas;
import io.capxai.data.CanvasGenerator;
import io.capxai.data.ClipPreprocess;
import io.capxai.data.FashionMnist;
import io.capxai.tensors.Tensors;
import io.capxai.testing.Requirements;
import io.capxai.wordnet.Concept;
import io.capxai.wordnet.WordNet;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The benchmark's bookkeeping on real Fashion-MNIST scenes, with two oracle methods that know the
 * scenes: one lights up exactly the items of the queried concept, the other exactly the others.
 */
class ConceptBenchmarkTest {
    static final int SIDE = 84;
    static WordNet wn;
    static List<Canvas> scenes;
    static ConceptBenchmark bench;

    @BeforeAll
    static void setUp() {
        wn = WordNet.get();
        CanvasGenerator gen = new CanvasGenerator(Requirements.fetched(FashionMnist::load).test(), FashionMnist.CLASS_NAMES, SIDE, 1, 2, 3,
                CanvasGenerator.Colouring.GREY, 3);
        scenes = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            scenes.add(gen.canvas(i));
        }
        bench = new ConceptBenchmark(wn, ConceptBenchmark.FASHION_MNIST, ClipPreprocess.clip(SIDE),
                new org.bytedeco.pytorch.Device("cpu"));
    }

    /** Finds the scene of an image and paints the masks of the items under (or not under) the query. */
    static final class Oracle implements Attribution {
        final boolean truthful;
        final List<float[]> images = new ArrayList<>();

        Oracle(boolean truthful) {
            this.truthful = truthful;
            for (Canvas c : scenes) {
                images.add(Tensors.toFloats(ClipPreprocess.clip(SIDE).apply(c.image())));
            }
        }

        @Override
        public String name() {
            return truthful ? "oracle" : "anti-oracle";
        }

        @Override
        public AttributionMap explain(Tensor image, String query) {
            float[] px = Tensors.toFloats(image);
            Canvas scene = scenes.get(images.indexOf(images.stream().filter(i -> java.util.Arrays.equals(i, px)).findFirst().orElseThrow()));
            Concept q = wn.resolve(query);
            Set<Concept> subtree = new HashSet<>(q.allHyponyms());
            subtree.add(q);
            float[] map = new float[SIDE * SIDE];
            for (Canvas.Item item : scene.items()) {
                boolean positive = subtree.contains(wn.resolve(ConceptBenchmark.FASHION_MNIST.get(item.className())));
                if (positive == truthful) {
                    for (int p = 0; p < map.length; p++) {
                        if (item.mask()[p]) map[p] = 1;
                    }
                }
            }
            return new AttributionMap(name(), map, SIDE, SIDE, null, Map.of());
        }
    }

    @Test
    void oracleScoresPerfectlyAndAntiOracleNever() {
        List<ConceptBenchmark.Query> queries = bench.queries(List.of("footwear.n.02", "clothing.n.01"));
        ConceptBenchmark.Result r = bench.run("oracle", scenes, List.of(ConceptBenchmark.Method.concept(new Oracle(true)),
                ConceptBenchmark.Method.concept(new Oracle(false))), queries, Map.of(), ProgressListener.NONE);
        int expectedScenes = 0;
        // a class query is present when an item is of that class or of a hyponym (a T-shirt is a shirt)
        Set<Concept> classQueries = new HashSet<>(ConceptBenchmark.FASHION_MNIST.values().stream().map(wn::resolve).toList());
        for (Canvas c : scenes) {
            Set<Concept> present = new HashSet<>();
            for (Canvas.Item i : c.items()) {
                Concept item = wn.resolve(ConceptBenchmark.FASHION_MNIST.get(i.className()));
                present.add(item);
                present.addAll(item.allHypernyms());
            }
            present.retainAll(classQueries);
            expectedScenes += present.size();
        }
        int classScenes = 0;
        for (ConceptBenchmark.Row row : r.rows()) {
            if (row.method().equals("oracle")) {
                assertEquals(1.0, row.pointingGame(), row.concept());
                assertEquals(1.0, row.boxMass(), 1e-9, row.concept());
                assertEquals(1.0, row.maxBoxAcc(), row.concept());
                if (row.scenesWithNegatives() > 0) assertEquals(1.0, row.coversPositivesOverNegatives(), row.concept());
                if (row.level().equals("class")) classScenes += row.scenes();
            } else {
                assertEquals(0.0, row.pointingGame(), row.concept());
            }
        }
        assertEquals(expectedScenes, classScenes, "each scene counts once per class present");
        assertTrue(r.rows().stream().anyMatch(x -> x.concept().equals("footwear.n.02")));
        assertTrue(r.markdown().contains("| oracle | footwear.n.02 | footwear |"));
    }
}
