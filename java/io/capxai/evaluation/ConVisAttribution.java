package io.capxai.evaluation;

import io.capxai.attribution.Attribution;
import io.capxai.attribution.AttributionMap;
import io.capxai.concepts.ConVis;
import io.capxai.concepts.RankSweep;
import io.capxai.wordnet.Concept;
import io.capxai.wordnet.WordNet;
import org.bytedeco.pytorch.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ConVis behind {@link Attribution}: the query is a WordNet concept ("footwear", "n02084071",
 * "bird.n.01"), the map its grid map. Keeps the one-sweep ranks of the last image, so asking for
 * several concepts on the same image encodes its boxes once.
 */
public final class ConVisAttribution implements Attribution {
    private final ConVis convis;
    private final WordNet wordNet;
    private final String model;
    private float[] lastImage; // a heap copy: a tensor handle could be freed by the caller's PointerScope
    private RankSweep lastSweep;

    /** {@code model} names the CLIP model in the options, e.g. "CLIP-style model trained locally". */
    public ConVisAttribution(ConVis convis, WordNet wordNet, String model) {
        this.convis = convis;
        this.wordNet = wordNet;
        this.model = model;
    }

    @Override
    public String name() {
        return "convis";
    }

    @Override
    public AttributionMap explain(Tensor image, String query) {
        Concept concept = wordNet.resolve(query);
        RankSweep sweep = sweepOf(image);
        float[] map = sweep.map(concept);
        int r = convis.options().geometry().resolution();
        Map<String, String> options = new LinkedHashMap<>(convis.options().describe());
        options.put("model", model);
        options.put("concept", concept.id() + " " + concept.nltkName());
        options.put("subtree_size", String.valueOf(convis.hierarchy().subtree(concept).length));
        options.put("hierarchy", convis.hierarchy().description() + ", " + convis.hierarchy().size() + " synsets");
        options.put("map", "grid (one sweep)");
        return new AttributionMap(name(), map, r, r, null, options);
    }

    /** The sweep of {@code image}, reused when the same image comes again. */
    public synchronized RankSweep sweepOf(Tensor image) {
        float[] pixels = io.capxai.tensors.Tensors.toFloats(image);
        if (lastImage == null || !java.util.Arrays.equals(lastImage, pixels)) {
            lastSweep = convis.sweep(image);
            lastImage = pixels;
        }
        return lastSweep;
    }
}
