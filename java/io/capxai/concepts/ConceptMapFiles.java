package io.capxai.concepts;

import io.capxai.images.ColourMaps;
import io.capxai.images.Images;
import io.capxai.json.Json;
import io.capxai.tensors.Tensors;
import io.capxai.weights.Safetensors;
import io.capxai.wordnet.Concept;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The three files of one concept map: {@code map.png} (heat map, black - red - yellow - white),
 * {@code map.safetensors} (float32 {@code image_map} [R, R]; metadata: the synset and the options)
 * and {@code concept.json} (synset, name, lemmas, gloss, subtree and hierarchy sizes, options, seconds).
 */
public final class ConceptMapFiles {
    private ConceptMapFiles() {}

    /** Writes the files of {@code map} (row-major [R, R] in [0, 1]) for {@code concept} into {@code dir} (created if needed). */
    public static void write(Path dir, float[] map, int resolution, Concept concept, ConceptHierarchy hierarchy,
                             Map<String, String> options, double seconds) {
        Images.writePng(Images.colour(map, resolution, resolution, ColourMaps::heat), dir.resolve("map.png"));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("synset", concept.id());
        meta.putAll(options);
        Safetensors.write(dir.resolve("map.safetensors"), Map.of("image_map", Tensors.fromFloats(map, resolution, resolution)), meta);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("synset", concept.id());
        info.put("name", concept.nltkName());
        info.put("lemmas", concept.lemmas());
        info.put("gloss", concept.gloss());
        info.put("subtree_size", hierarchy.subtree(concept).length);
        info.put("hierarchy_size", hierarchy.size());
        info.put("options", options);
        info.put("seconds", seconds);
        Json.writePretty(dir.resolve("concept.json"), info);
    }
}
