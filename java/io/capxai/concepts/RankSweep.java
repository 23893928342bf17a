package io.capxai.concepts;

import io.capxai.tensors.Tensors;
import io.capxai.weights.Safetensors;
import io.capxai.weights.StateDict;
import io.capxai.wordnet.Concept;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one-sweep result (docs/method.md#grid-map): the normalised rank of every synset of T at every box position.
 * After it, the map of any concept is the best rank over its subtree per box, accumulated onto
 * the image: no further encoding.
 */
public final class RankSweep {
    private final SweepGeometry geometry;
    private final List<SweepGeometry.Box> boxes;
    private final ConceptHierarchy hierarchy;
    private final float[] ranks;

    /** {@code ranks} row-major {@code [boxes, |T|]}, normalised to [0, 1]. */
    public RankSweep(SweepGeometry geometry, ConceptHierarchy hierarchy, float[] ranks) {
        this.geometry = geometry;
        this.boxes = geometry.boxes();
        this.hierarchy = hierarchy;
        if (ranks.length != (long) boxes.size() * hierarchy.size()) {
            throw new IllegalArgumentException("a sweep over " + boxes.size() + " boxes and " + hierarchy.size()
                    + " synsets needs " + (long) boxes.size() * hierarchy.size() + " ranks, got " + ranks.length);
        }
        this.ranks = ranks;
    }

    /** The grid map of {@code concept}: row-major R x R in [0, 1]. */
    public float[] map(Concept concept) {
        float[] best = bestRankPerBox(concept);
        SaliencyAccumulator acc = new SaliencyAccumulator(geometry);
        for (int i = 0; i < boxes.size(); i++) {
            acc.add(boxes.get(i), best[i]);
        }
        return acc.map();
    }

    /** {@code max_rank_sim} of {@code concept} at every box, in {@link SweepGeometry#boxes()} order. */
    public float[] bestRankPerBox(Concept concept) {
        return ConceptRanks.bestOverSubtree(ranks, hierarchy.size(), hierarchy.subtree(concept));
    }

    public SweepGeometry geometry() {
        return geometry;
    }

    public ConceptHierarchy hierarchy() {
        return hierarchy;
    }

    public int boxCount() {
        return boxes.size();
    }

    /** Writes float32 {@code ranks [boxes, |T|]} with the geometry and hierarchy checksum as metadata. */
    public void save(Path file, Map<String, String> extraMetadata) {
        Map<String, String> meta = new HashMap<>(extraMetadata);
        meta.put("resolution", String.valueOf(geometry.resolution()));
        meta.put("border", String.valueOf(geometry.border()));
        meta.put("box_sizes", Arrays.toString(geometry.boxSizes()));
        meta.put("stride", String.valueOf(geometry.stride()));
        meta.put("hierarchy_sha256", hierarchy.checksum());
        meta.put("concepts", String.valueOf(hierarchy.size()));
        Safetensors.write(file, Map.of("ranks", Tensors.fromFloats(ranks, boxes.size(), hierarchy.size())), meta);
    }

    /** Reads a sweep written by {@link #save}; {@code hierarchy} must be the one it was made with. */
    public static RankSweep load(Path file, ConceptHierarchy hierarchy) {
        StateDict sd = Safetensors.read(file);
        Map<String, String> m = sd.metadata();
        for (String key : List.of("resolution", "border", "box_sizes", "stride", "hierarchy_sha256")) {
            if (!m.containsKey(key)) {
                throw new IllegalArgumentException(file + " is not a ConVis sweep: metadata '" + key + "' is missing");
            }
        }
        if (!m.get("hierarchy_sha256").equals(hierarchy.checksum())) {
            throw new IllegalArgumentException(file + " was swept over another concept hierarchy (checksum "
                    + m.get("hierarchy_sha256") + ", this one " + hierarchy.checksum() + ")");
        }
        int[] sizes = Arrays.stream(m.get("box_sizes").replaceAll("[\\[\\] ]", "").split(","))
                .mapToInt(Integer::parseInt).toArray();
        SweepGeometry g = new SweepGeometry(Integer.parseInt(m.get("resolution")), Integer.parseInt(m.get("border")),
                sizes, Integer.parseInt(m.get("stride")));
        return new RankSweep(g, hierarchy, Tensors.toFloats(sd.get("ranks")));
    }
}
