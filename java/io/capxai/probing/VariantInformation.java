package io.capxai.probing;

import java.util.List;

/** Per-concept information of one surgery variant (e.g. {@code visual.layer4} alone), in caption-set order. */
public record VariantInformation(String variant, List<ConceptInformation> concepts) {
    public VariantInformation {
        concepts = List.copyOf(concepts);
    }

    public static VariantInformation of(String variant, CaptionSet captions, ImageLabels labels, float[][] before, float[][] after) {
        return new VariantInformation(variant, ConceptInformation.ofAll(captions, labels, before, after));
    }

    public ConceptInformation concept(String name) {
        return concepts.stream().filter(c -> c.concept().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no concept '" + name + "' in variant " + variant));
    }
}
